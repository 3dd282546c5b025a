export { EventRecorder } from "./event-recorder.js";
export {
  createInMemoryPanelAccess,
  type InMemoryOptions,
  type InMemoryPanelAccess,
  TEST_ARGON2,
  testTwoFactorOptions,
} from "./in-memory-panel-access.js";
export { DEFAULT_START, ManualClock } from "./manual-clock.js";
export { MemoryConstraintError, MemoryStore } from "./memory-store.js";
export { MemoryThrottleStore } from "./memory-throttle-store.js";
export { RecordingMailer } from "./recording-mailer.js";
