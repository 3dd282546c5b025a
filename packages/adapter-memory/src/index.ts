/**
 * The storage and throttle ports in memory: for tests, demos and single-process apps.
 *
 * @module @panel-access/adapter-memory
 */
export { MemoryConstraintError, MemoryStore } from "./memory-store.js";
export { MemoryThrottleStore } from "./memory-throttle-store.js";
export type { MemoryCleanupOptions } from "./store/cleanup.js";
