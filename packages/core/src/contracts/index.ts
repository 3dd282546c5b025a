/**
 * For adapter authors: the contract suites every storage, throttle and
 * cleanup adapter runs. They are vitest suites, so this entry point needs
 * `vitest` (an optional peer dependency); the test doubles live in
 * `@panel-access/core/testing`, which needs no test runner.
 *
 * @module @panel-access/core/contracts
 */
export {
  type CleanupFactory,
  type CleanupSubject,
  runCleanupContract,
} from "./cleanup-contract.js";
export { runStorageContract, type StoreFactory } from "./storage-contract.js";
export { runThrottleContract, type ThrottleStoreFactory } from "./throttle-contract.js";
