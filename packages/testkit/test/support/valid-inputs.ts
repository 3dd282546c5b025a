import { expect } from "vitest";
import type { UseCase } from "./entry-points.js";
import { PASSWORD, resetTokenOf, worldWithPanel } from "./world.js";

/**
 * A world in which every entry point has an input that passes validation and
 * would do something (an invitation, a reset link, a setup challenge, a
 * second-step challenge with a right code, a session), with every optional
 * text field filled in, and those inputs.
 */
export async function worldWithValidInputs() {
  const w = await worldWithPanel();
  const operator = { type: "operator", operatorId: "support-7" } as const;
  const { token: invitation } = await w.invite("invitee@example.com");
  await w.member("member@example.com");
  await w.panelAccess.forgotPassword({ email: "member@example.com" });
  await w.panelAccess.settled();
  const resetToken = resetTokenOf(w, "member@example.com");
  const setup = await w.passwordStep("member@example.com");
  if (setup.next !== "secondFactorSetup") expect.fail(`expected a setup, got ${setup.next}`);
  const enrolled = await w.enrolled("enrolled@example.com");
  const step = await w.secondFactorStep("enrolled@example.com");
  const sessionToken = enrolled.session.sessionToken;
  const access = { type: "temporary", endsAt: w.clock.now().plus({ days: 30 }).toISO() };
  const secondStep = {
    rememberBrowser: true,
    browserLabel: "Firefox on Linux",
    clientAddress: "192.0.2.44",
  };
  const { nextCursor: cursor } = (
    await w.panelAccess.listAllActivity({ actor: operator, limit: 1 })
  )._unsafeUnwrap();
  const activityFilters = {
    from: w.clock.now().minus({ days: 1 }).toISO(),
    to: w.clock.now().plus({ days: 1 }).toISO(),
    types: ["membership.granted", "login.completed"],
    cursor,
    limit: 10,
  };
  const inputs: Record<UseCase, object> = {
    createPanel: {
      actor: operator,
      name: "Globex",
      administratorEmail: "boss@example.com",
      settings: { ssoEnabled: true },
    },
    addMember: {
      actor: w.admin,
      panelId: w.panelId,
      email: "new@example.com",
      role: "analyst",
      access,
    },
    reinviteMember: {
      actor: w.admin,
      panelId: w.panelId,
      email: "invitee@example.com",
      role: "analyst",
      access,
    },
    changeAccess: {
      actor: w.admin,
      panelId: w.panelId,
      email: "member@example.com",
      role: "editor",
      access,
    },
    resendInvitation: { actor: w.admin, panelId: w.panelId, email: "invitee@example.com" },
    removeMember: { actor: w.admin, panelId: w.panelId, email: "member@example.com" },
    listMembers: { actor: w.admin, panelId: w.panelId },
    getLivePanels: { accountId: enrolled.actor.accountId },
    inspectInvitation: { token: invitation },
    register: { token: invitation, password: PASSWORD, clientAddress: "2001:db8::7" },
    login: {
      email: "enrolled@example.com",
      password: PASSWORD,
      rememberedBrowserToken: `${"A".repeat(22)}.${"B".repeat(43)}`,
      clientAddress: "203.0.113.9",
    },
    forgotPassword: { email: "member@example.com", clientAddress: "198.51.100.4" },
    inspectPasswordReset: { token: resetToken },
    resetPassword: { token: resetToken, password: PASSWORD },
    unblockAccount: { actor: operator, email: "member@example.com" },
    getAccountStatus: { actor: operator, email: "member@example.com" },
    validateSession: { sessionToken },
    logout: { sessionToken },
    logoutEverywhere: { sessionToken },
    completeTwoFactorSetup: { challenge: setup.challenge, code: "123456", ...secondStep },
    verifySecondFactor: { challenge: step.challenge, code: enrolled.app.code(), ...secondStep },
    regenerateBackupCodes: { sessionToken, password: PASSWORD },
    countBackupCodes: { sessionToken },
    listRememberedBrowsers: { sessionToken },
    forgetRememberedBrowsers: { sessionToken, browserId: "rb_unknown" },
    resetTwoFactor: { actor: w.admin, panelId: w.panelId, email: "enrolled@example.com" },
    supportResetTwoFactor: { actor: operator, email: "enrolled@example.com" },
    openSsoSession: { email: "member@example.com", panelId: w.panelId },
    listMail: { actor: operator, status: "failed", limit: 10 },
    retryMail: { actor: operator, messageId: "msg_unknown" },
    listPanelActivity: { actor: w.admin, panelId: w.panelId, ...activityFilters },
    listSecurityActivity: { sessionToken, ...activityFilters },
    listAllActivity: {
      actor: operator,
      accountEmail: "member@example.com",
      panelId: w.panelId,
      ...activityFilters,
    },
  };
  return { w, inputs };
}
