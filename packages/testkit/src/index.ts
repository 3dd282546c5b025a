/**
 * Test your integration: an in-memory setup, a scripted authenticator, fast-check arbitraries, and a reference model of every rule.
 *
 * @module @panel-access/testkit
 */
export { MemoryStore } from "@panel-access/adapter-memory";
export { EventRecorder, ManualClock, RecordingMailer } from "@panel-access/core/testing";
export { accessTerms, durationsNearBoundaries, emails, passwords } from "./arbitraries.js";
export { type ScriptedAuthenticator, scan } from "./authenticator.js";
export { fastInsecureHasher } from "./fast-hasher.js";
export {
  createInMemoryPanelAccess,
  type InMemoryOptions,
  type InMemoryPanelAccess,
  TEST_ARGON2,
  testTwoFactorOptions,
} from "./in-memory-panel-access.js";
export {
  BOUNDARY_DURATIONS,
  checkAgainstModel,
  type ModelCheckOptions,
  type ModelCheckReport,
  modelCommands,
  openingMoves,
} from "./model/check.js";
export type { Model, ModelPerson, ModelStatus } from "./model/state.js";
export { livePanelsOf, panelStatusOf, RULES, statusOf } from "./model/state.js";
export { newHistory, type Real } from "./model/world.js";
export { scheduledHasher, scheduledStore } from "./scheduled-store.js";
