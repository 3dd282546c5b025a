export { MemoryConstraintError, MemoryStore } from "./memory-store.js";
export { MemoryThrottleStore } from "./memory-throttle-store.js";
