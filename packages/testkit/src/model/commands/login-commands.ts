// The commands a person runs, one file a flow; listed here under the path the tests import.
export { AdvanceClock } from "./clock-command.js";
export { ForgotPassword, ResetPassword } from "./password-reset-commands.js";
export { LockAndReset, Login, WrongPasswords } from "./password-step-commands.js";
export { Register } from "./register-command.js";
export {
  CompleteSetup,
  SecondFactor,
  type SecondFactorKind,
} from "./second-factor-commands.js";
export { CheckSessions, Logout } from "./session-commands.js";
export { ForgetBrowsers, RegenerateBackupCodes } from "./settings-commands.js";
