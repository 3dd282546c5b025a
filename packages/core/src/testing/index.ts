/**
 * For tests: the test doubles (manual clock, recording mailer, event
 * recorder, recording logger) and record builders. Needs no test runner; the
 * adapters' contract suites (which need vitest) are in
 * `@panel-access/core/contracts`.
 *
 * @module @panel-access/core/testing
 */
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
  aSession,
  plain,
  T0,
  uniqueId,
} from "./records.js";
