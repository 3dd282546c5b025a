// What administrators and the support team do, one file a flow; listed here under the path the tests import.
export { AddMember, ReinviteMember } from "./grant-commands.js";
export { ChangeAccess, RemoveMember, ResendInvitation } from "./membership-commands.js";
export { ResetTwoFactor, SupportResetTwoFactor } from "./two-factor-reset-commands.js";
export { UnblockAccount } from "./unblock-command.js";
