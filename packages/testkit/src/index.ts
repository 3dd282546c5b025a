export {
  createInMemoryPanelAccess,
  EventRecorder,
  type InMemoryOptions,
  type InMemoryPanelAccess,
  ManualClock,
  MemoryStore,
  RecordingMailer,
  TEST_ARGON2,
  testTwoFactorOptions,
} from "@panel-access/adapter-memory";
export { accessTerms, durationsNearBoundaries, emails, passwords } from "./arbitraries.js";
export { type ScriptedAuthenticator, scan } from "./authenticator.js";
export { fastInsecureHasher } from "./fast-hasher.js";
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
