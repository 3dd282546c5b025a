/**
 * For tests: the contract suites every adapter runs, and the test doubles (manual clock, recording mailer, event recorder).
 *
 * @module @panel-access/core/testing
 */
export {
  type CleanupFactory,
  type CleanupSubject,
  runCleanupContract,
} from "./cleanup-contract.js";
export { EventRecorder } from "./doubles/event-recorder.js";
export { DEFAULT_START, ManualClock } from "./doubles/manual-clock.js";
export { type LogLine, RecordingLogger } from "./doubles/recording-logger.js";
export { RecordingMailer } from "./doubles/recording-mailer.js";
export {
  aLink,
  aMembership,
  anAccount,
  anAuditEvent,
  aPanel,
  plain,
  T0,
  uniqueId,
} from "./records.js";
export { runStorageContract, type StoreFactory } from "./storage-contract.js";
export { runThrottleContract, type ThrottleStoreFactory } from "./throttle-contract.js";
