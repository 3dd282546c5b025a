import pLimit from "p-limit";
import { type GetAccountStatusInput, getAccountStatus } from "./accounts/get-account-status.js";
import { type UnblockAccountInput, unblockAccount } from "./accounts/unblock-account.js";
import { type ListAllActivityInput, listAllActivity } from "./audit/list-all-activity.js";
import { type ListPanelActivityInput, listPanelActivity } from "./audit/list-panel-activity.js";
import {
  type ListSecurityActivityInput,
  listSecurityActivity,
} from "./audit/list-security-activity.js";
import { type PanelAccessOptions, resolveOptions } from "./config/options.js";
import { createArgon2idHasher } from "./defaults/argon2id-hasher.js";
import { cryptoRandom } from "./defaults/crypto-random.js";
import { InProcessThrottleStore } from "./defaults/in-process-throttle-store.js";
import { createOfflinePasswordScreen } from "./defaults/offline-password-screen.js";
import { systemClock } from "./defaults/system-clock.js";
import {
  type InspectInvitationInput,
  inspectInvitation,
} from "./invitations/inspect-invitation.js";
import { type RegisterInput, register } from "./invitations/register.js";
import { type ResendInvitationInput, resendInvitation } from "./invitations/resend-invitation.js";
import { type LoginInput, login } from "./login/login.js";
import { type OpenSsoSessionInput, openSsoSession } from "./login/open-sso-session.js";
import { dispatchMail } from "./mail/dispatch-mail.js";
import { type ListMailInput, listMail, type RetryMailInput, retryMail } from "./mail/mail-queue.js";
import { type AddMemberInput, addMember } from "./panels/add-member.js";
import { type ChangeAccessInput, changeAccess } from "./panels/change-access.js";
import { type CreatePanelInput, createPanel } from "./panels/create-panel.js";
import { type ListMembersInput, listMembers } from "./panels/list-members.js";
import { type ReinviteMemberInput, reinviteMember } from "./panels/reinvite-member.js";
import { type RemoveMemberInput, removeMember } from "./panels/remove-member.js";
import { type ForgotPasswordInput, forgotPassword } from "./passwords/forgot-password.js";
import {
  type InspectPasswordResetInput,
  inspectPasswordReset,
  type ResetPasswordInput,
  resetPassword,
} from "./passwords/reset-password.js";
import type { Clock } from "./ports/clock.js";
import type { EventSink } from "./ports/events.js";
import type { Mailer } from "./ports/mailer.js";
import type { PasswordHasher } from "./ports/password-hasher.js";
import type { PasswordScreen } from "./ports/password-screen.js";
import type { RandomSource } from "./ports/random.js";
import type { StoragePort } from "./ports/storage.js";
import type { ThrottleStore } from "./ports/throttle.js";
import { AccountQueues } from "./runtime/account-queues.js";
import type { Dependencies } from "./runtime/dependencies.js";
import { type GetLivePanelsInput, getLivePanels } from "./sessions/get-live-panels.js";
import {
  logout,
  logoutEverywhere,
  type SessionTokenInput,
  validateSession,
} from "./sessions/sessions.js";
import {
  countBackupCodes,
  type ForgetRememberedBrowserInput,
  forgetRememberedBrowsers,
  listRememberedBrowsers,
  type RegenerateBackupCodesInput,
  regenerateBackupCodes,
} from "./two-factor/account-settings.js";
import {
  type ResetTwoFactorInput,
  resetTwoFactor,
  type SupportResetTwoFactorInput,
  supportResetTwoFactor,
} from "./two-factor/reset-two-factor.js";
import {
  type CompleteTwoFactorSetupInput,
  completeTwoFactorSetup,
  type VerifySecondFactorInput,
  verifySecondFactor,
} from "./two-factor/second-step.js";

/** The ports the host plugs in. */
export interface PanelAccessPorts {
  /** Where records live: `@panel-access/adapter-memory`, `@panel-access/adapter-postgres`. */
  readonly store: StoragePort;
  /** Renders and sends message intents (MAIL-1), from the outbox (MAIL-2): `@panel-access/adapter-smtp`. */
  readonly mailer: Mailer;
  /** Receives domain events after commit (AUD-1). @default a sink that drops them */
  readonly events?: EventSink;
  /** @default the system clock (UTC) */
  readonly clock?: Clock;
  /** @default `node:crypto.randomBytes` */
  readonly random?: RandomSource;
  /** @default argon2id with `options.argon2` */
  readonly passwordHasher?: PasswordHasher;
  /**
   * PWD-6: screens new passwords at registration and reset (never at login).
   * Replaces the default; to add a screen to it (a breach corpus queried by
   * hash prefix), pass `combinePasswordScreens(createOfflinePasswordScreen(), yours)`.
   * @default `createOfflinePasswordScreen()`: common and breached passwords,
   * the e-mail and `twoFactor.issuer` as context words, repetition; offline
   */
  readonly passwordScreen?: PasswordScreen;
  /**
   * LCK-9: where throttle counters live. Pass a shared one when several
   * instances serve the same accounts: `PostgresThrottleStore`
   * (`@panel-access/adapter-postgres`) or `RedisThrottleStore`
   * (`@panel-access/adapter-redis`). @default this process's memory
   */
  readonly throttleStore?: ThrottleStore;
}

/**
 * The ports with their defaults filled in and the options resolved. Internal:
 * `createPanelAccess` is the public way in.
 */
export function createDependencies(
  ports: PanelAccessPorts,
  options: PanelAccessOptions,
): Dependencies {
  const resolved = resolveOptions(options);
  const random = ports.random ?? cryptoRandom;
  const passwordHasher = ports.passwordHasher ?? createArgon2idHasher(resolved.argon2);
  let dummyHash: Promise<string> | undefined;
  return {
    store: ports.store,
    mailer: ports.mailer,
    events: ports.events ?? { publish: () => {} },
    clock: ports.clock ?? systemClock,
    random,
    passwordHasher,
    options: resolved,
    passwordScreen: ports.passwordScreen ?? createOfflinePasswordScreen(),
    dummyPasswordHash: () => {
      dummyHash ??= passwordHasher.hash(Buffer.from(random.bytes(32)).toString("base64url"));
      return dummyHash;
    },
    deliveries: new Set(),
    backgroundSlots: pLimit(resolved.maxBackgroundWork),
    accountQueues: new AccountQueues(resolved.maxQueuedPerAccount),
    throttleStore: ports.throttleStore ?? new InProcessThrottleStore(),
    instanceThrottle: new InProcessThrottleStore({ maxKeys: 1 }),
  };
}

/**
 * Creates the library's entry point. Every method validates its input (INP-1)
 * and returns a neverthrow `ResultAsync`: `ok` with the outcome, or `err` with
 * a typed error whose `type` is a stable code; a refused request changes nothing.
 *
 * @throws PanelAccessConfigError when `options` are invalid (found at start-up).
 */
export function createPanelAccess(ports: PanelAccessPorts, options: PanelAccessOptions) {
  const deps = createDependencies(ports, options);
  return {
    /** The options in force, defaults filled in. */
    options: deps.options,
    /** Creates a panel with its first administrator (operator or system only). */
    createPanel: (input: CreatePanelInput) => createPanel(deps, input),
    /** ACC-1, ACC-2, ACC-2b: adds a person to a panel, or updates their membership. */
    addMember: (input: AddMemberInput) => addMember(deps, input),
    /** ACC-7, ACC-4: a new invitation for an unregistered member; older links stop working. */
    resendInvitation: (input: ResendInvitationInput) => resendInvitation(deps, input),
    /** ACC-9: what a link is for and whether it works, without consuming it. */
    inspectInvitation: (input: InspectInvitationInput) => inspectInvitation(deps, input),
    /** ACC-6: sets the password through a working invitation link. */
    register: (input: RegisterInput) => register(deps, input),
    /** PNL-2, PNL-3, PNL-6: changes a live membership's role or access term. */
    changeAccess: (input: ChangeAccessInput) => changeAccess(deps, input),
    /** PNL-3, PNL-5: restores ended or removed access; registered people need no new registration. */
    reinviteMember: (input: ReinviteMemberInput) => reinviteMember(deps, input),
    /** PNL-4, PNL-6: removes one membership; the account stays. */
    removeMember: (input: RemoveMemberInput) => removeMember(deps, input),
    /** The panel's members with their status (administrators only). */
    listMembers: (input: ListMembersInput) => listMembers(deps, input),
    /** PNL-7: the panels an account can enter right now. */
    getLivePanels: (input: GetLivePanelsInput) => getLivePanels(deps, input),
    /**
     * LCK-5, ACC-5, SES-1: an account's status and every membership (ended ones
     * included): any account for the support team (`{ actor, email }`, lockout
     * facts included), or the person's own through a session (`{ sessionToken }`).
     */
    getAccountStatus: (input: GetAccountStatusInput) => getAccountStatus(deps, input),

    /** LCK-1 to LCK-8: the password step; every failure is the one `LOGIN_FAILED`. */
    login: (input: LoginInput) => login(deps, input),
    /** PWD-2: e-mails a reset link to a registered account; the same answer for every e-mail. */
    forgotPassword: (input: ForgotPasswordInput) => forgotPassword(deps, input),
    /** ACC-9: whether a reset link works, without consuming it. */
    inspectPasswordReset: (input: InspectPasswordResetInput) => inspectPasswordReset(deps, input),
    /** PWD-3, LCK-4, PWD-4: sets a new password through the latest reset link. */
    resetPassword: (input: ResetPasswordInput) => resetPassword(deps, input),
    /** LCK-5: the support team lifts a permanent block. */
    unblockAccount: (input: UnblockAccountInput) => unblockAccount(deps, input),
    /** TFA-2: confirms a 2FA setup with a current code; answers the backup codes and a session. */
    completeTwoFactorSetup: (input: CompleteTwoFactorSetupInput) =>
      completeTwoFactorSetup(deps, input),
    /** TFA-3, TFA-5, TFA-10: the second step: a TOTP or backup code against the challenge. */
    verifySecondFactor: (input: VerifySecondFactorInput) => verifySecondFactor(deps, input),
    /** TFA-6: a new set of backup codes after the password is entered again. */
    regenerateBackupCodes: (input: RegenerateBackupCodesInput) =>
      regenerateBackupCodes(deps, input),
    /** TFA-5: how many unused backup codes are left. */
    countBackupCodes: (input: SessionTokenInput) => countBackupCodes(deps, input),
    /** TFA-13: the remembered browsers of the session's account. */
    listRememberedBrowsers: (input: SessionTokenInput) => listRememberedBrowsers(deps, input),
    /** TFA-13: forgets one remembered browser, or all. */
    forgetRememberedBrowsers: (input: ForgetRememberedBrowserInput) =>
      forgetRememberedBrowsers(deps, input),
    /**
     * TFA-8: an administrator resets a member's 2FA; refused with
     * `TWO_FACTOR_RESET_NEEDS_SUPPORT` when the person also reaches panels
     * the administrator does not administer (TFA-8 v2).
     */
    resetTwoFactor: (input: ResetTwoFactorInput) => resetTwoFactor(deps, input),
    /** TFA-8 v2: the support team (operator) resets any account's 2FA. */
    supportResetTwoFactor: (input: SupportResetTwoFactorInput) =>
      supportResetTwoFactor(deps, input),
    /** TFA-9: a session for an SSO panel, for a person the host's identity provider verified. */
    openSsoSession: (input: OpenSsoSessionInput) => openSsoSession(deps, input),

    /** SES-1, PNL-7: checks and touches a session; answers what it reaches now. */
    validateSession: (input: SessionTokenInput) => validateSession(deps, input),
    /** SES-2: ends one session. */
    logout: (input: SessionTokenInput) => logout(deps, input),
    /** SES-2: ends every session of the token's account. */
    logoutEverywhere: (input: SessionTokenInput) => logoutEverywhere(deps, input),

    /**
     * MAIL-2: sends the outbox's due messages (retries, and anything queued
     * with `mail.sendAfterCommit` off). Run it from a timer or a worker on any
     * number of instances: each message goes to one of them.
     */
    dispatchMail: () => dispatchMail(deps),
    /** MAIL-2: the outbox's messages with one status (default `failed`), for the support team. */
    listMail: (input: ListMailInput) => listMail(deps, input),
    /** MAIL-2: re-queues a `failed` message with fresh attempts (support team). */
    retryMail: (input: RetryMailInput) => retryMail(deps, input),

    /** AUD-2: a panel's audit trail, newest first, paged (the panel's administrators only). */
    listPanelActivity: (input: ListPanelActivityInput) => listPanelActivity(deps, input),
    /** AUD-2: the session's account's own security events, newest first, paged. */
    listSecurityActivity: (input: ListSecurityActivityInput) => listSecurityActivity(deps, input),
    /** AUD-2: every event, or one account's or panel's, newest first, paged (support team). */
    listAllActivity: (input: ListAllActivityInput) => listAllActivity(deps, input),

    /**
     * Waits until the work that goes on after an answer has finished: every
     * use case's mail, sent after its answer (MAIL-4), the events of login,
     * the second step, new backup codes and forgot-password, a failed
     * login's count (LCK-8 v2) and forgot-password's account work (PWD-2 v2).
     * For tests and graceful shutdown.
     */
    settled: async (): Promise<void> => {
      while (deps.deliveries.size > 0) await Promise.all([...deps.deliveries]);
    },
  };
}

/** The library's entry point, as `createPanelAccess` returns it. */
export type PanelAccess = ReturnType<typeof createPanelAccess>;
