import pLimit from "p-limit";
import { getAccountStatus } from "./accounts/get-account-status.js";
import { unblockAccount } from "./accounts/unblock-account.js";
import { listAllActivity } from "./audit/list-all-activity.js";
import { listPanelActivity } from "./audit/list-panel-activity.js";
import { listSecurityActivity } from "./audit/list-security-activity.js";
import { type PanelAccessOptions, resolveOptions } from "./config/options.js";
import { createArgon2idHasher } from "./defaults/argon2id-hasher.js";
import { cryptoRandom } from "./defaults/crypto-random.js";
import { InProcessThrottleStore } from "./defaults/in-process-throttle-store.js";
import { createOfflinePasswordScreen } from "./defaults/offline-password-screen.js";
import { systemClock } from "./defaults/system-clock.js";
import { inspectInvitation } from "./invitations/inspect-invitation.js";
import { register } from "./invitations/register.js";
import { resendInvitation } from "./invitations/resend-invitation.js";
import { login } from "./login/login.js";
import { openSsoSession } from "./login/open-sso-session.js";
import { dispatchMail } from "./mail/dispatch-mail.js";
import {
  type MailDispatcher,
  type MailDispatcherOptions,
  startMailDispatcher,
} from "./mail/mail-dispatcher.js";
import { listMail, retryMail } from "./mail/mail-queue.js";
import { addMember } from "./panels/add-member.js";
import { changeAccess } from "./panels/change-access.js";
import { createPanel } from "./panels/create-panel.js";
import { listMembers } from "./panels/list-members.js";
import { reinviteMember } from "./panels/reinvite-member.js";
import { removeMember } from "./panels/remove-member.js";
import { forgotPassword } from "./passwords/forgot-password.js";
import { inspectPasswordReset, resetPassword } from "./passwords/reset-password.js";
import type { Clock } from "./ports/clock.js";
import type { EventSink } from "./ports/events.js";
import { type Logger, silentLogger } from "./ports/logger.js";
import type { Mailer } from "./ports/mailer.js";
import type { PasswordHasher } from "./ports/password-hasher.js";
import type { PasswordScreen } from "./ports/password-screen.js";
import type { RandomSource } from "./ports/random.js";
import type { StoragePort } from "./ports/storage.js";
import type { ThrottleStore } from "./ports/throttle.js";
import type { Tracer } from "./ports/tracer.js";
import { AccountQueues } from "./runtime/account-queues.js";
import type { Dependencies } from "./runtime/dependencies.js";
import { type ShutdownReport, shutdown } from "./runtime/shutdown.js";
import { inEntryPointSpan, traced } from "./runtime/traced.js";
import { tracerFromOpenTelemetryApi } from "./runtime/tracing.js";
import { getLivePanels } from "./sessions/get-live-panels.js";
import { logout, logoutEverywhere, validateSession } from "./sessions/sessions.js";
import {
  countBackupCodes,
  forgetRememberedBrowsers,
  listRememberedBrowsers,
  regenerateBackupCodes,
} from "./two-factor/account-settings.js";
import { resetTwoFactor, supportResetTwoFactor } from "./two-factor/reset-two-factor.js";
import { completeTwoFactorSetup, verifySecondFactor } from "./two-factor/second-step.js";

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
  /**
   * Where the library reports what it does in the background: mail rounds
   * and failures, settle retries, shutdown. Never a secret; pino fits with
   * an argument swap (docs/operations.md). @default `silentLogger`
   */
  readonly logger?: Logger;
  /**
   * Where spans go: one around each entry point, each store unit of work and
   * each send; attributes never carry a secret (docs/operations.md).
   * `trace.getTracer("…")` of `@opentelemetry/api` fits as it is.
   * @default the tracer of `@opentelemetry/api` when the host has installed
   * it (a no-op until the host registers an SDK), else none
   */
  readonly tracer?: Tracer;
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
    logger: ports.logger ?? silentLogger,
    tracer: ports.tracer ? Promise.resolve(ports.tracer) : tracerFromOpenTelemetryApi(),
    lifecycle: {
      stopping: false,
      sendsInFlight: 0,
      rounds: new Set(),
      onStopping: new Set(),
      dispatcherStarted: false,
      warnedNoDispatcher: false,
    },
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
  const dispatchers = new Set<MailDispatcher>();
  const library = {
    /** The options in force, defaults filled in. */
    options: deps.options,
    /** Creates a panel with its first administrator (operator or system only). */
    createPanel: traced(deps, "createPanel", createPanel),
    /** ACC-1, ACC-2, ACC-2b: adds a person to a panel, or updates their membership. */
    addMember: traced(deps, "addMember", addMember),
    /** ACC-7, ACC-4: a new invitation for an unregistered member; older links stop working. */
    resendInvitation: traced(deps, "resendInvitation", resendInvitation),
    /** ACC-9: what a link is for and whether it works, without consuming it. */
    inspectInvitation: traced(deps, "inspectInvitation", inspectInvitation),
    /** ACC-6: sets the password through a working invitation link. */
    register: traced(deps, "register", register),
    /** PNL-2, PNL-3, PNL-6: changes a live membership's role or access term. */
    changeAccess: traced(deps, "changeAccess", changeAccess),
    /** PNL-3, PNL-5: restores ended or removed access; registered people need no new registration. */
    reinviteMember: traced(deps, "reinviteMember", reinviteMember),
    /** PNL-4, PNL-6: removes one membership; the account stays. */
    removeMember: traced(deps, "removeMember", removeMember),
    /** The panel's members with their status (administrators only). */
    listMembers: traced(deps, "listMembers", listMembers),
    /** PNL-7: the panels an account can enter right now. */
    getLivePanels: traced(deps, "getLivePanels", getLivePanels),
    /**
     * LCK-5, ACC-5, SES-1: an account's status and every membership (ended ones
     * included): any account for the support team (`{ actor, email }`, lockout
     * facts included), or the person's own through a session (`{ sessionToken }`).
     */
    getAccountStatus: traced(deps, "getAccountStatus", getAccountStatus),

    /** LCK-1 to LCK-8: the password step; every failure is the one `LOGIN_FAILED`. */
    login: traced(deps, "login", login),
    /** PWD-2: e-mails a reset link to a registered account; the same answer for every e-mail. */
    forgotPassword: traced(deps, "forgotPassword", forgotPassword),
    /** ACC-9: whether a reset link works, without consuming it. */
    inspectPasswordReset: traced(deps, "inspectPasswordReset", inspectPasswordReset),
    /** PWD-3, LCK-4, PWD-4: sets a new password through the latest reset link. */
    resetPassword: traced(deps, "resetPassword", resetPassword),
    /** LCK-5: the support team lifts a permanent block. */
    unblockAccount: traced(deps, "unblockAccount", unblockAccount),
    /** TFA-2: confirms a 2FA setup with a current code; answers the backup codes and a session. */
    completeTwoFactorSetup: traced(deps, "completeTwoFactorSetup", completeTwoFactorSetup),
    /** TFA-3, TFA-5, TFA-10: the second step: a TOTP or backup code against the challenge. */
    verifySecondFactor: traced(deps, "verifySecondFactor", verifySecondFactor),
    /** TFA-6: a new set of backup codes after the password is entered again. */
    regenerateBackupCodes: traced(deps, "regenerateBackupCodes", regenerateBackupCodes),
    /** TFA-5: how many unused backup codes are left. */
    countBackupCodes: traced(deps, "countBackupCodes", countBackupCodes),
    /** TFA-13: the remembered browsers of the session's account. */
    listRememberedBrowsers: traced(deps, "listRememberedBrowsers", listRememberedBrowsers),
    /** TFA-13: forgets one remembered browser, or all. */
    forgetRememberedBrowsers: traced(deps, "forgetRememberedBrowsers", forgetRememberedBrowsers),
    /**
     * TFA-8: an administrator resets a member's 2FA; refused with
     * `TWO_FACTOR_RESET_NEEDS_SUPPORT` when the person also reaches panels
     * the administrator does not administer (TFA-8 v2).
     */
    resetTwoFactor: traced(deps, "resetTwoFactor", resetTwoFactor),
    /** TFA-8 v2: the support team (operator) resets any account's 2FA. */
    supportResetTwoFactor: traced(deps, "supportResetTwoFactor", supportResetTwoFactor),
    /** TFA-9: a session for an SSO panel, for a person the host's identity provider verified. */
    openSsoSession: traced(deps, "openSsoSession", openSsoSession),

    /** SES-1, PNL-7: checks and touches a session; answers what it reaches now. */
    validateSession: traced(deps, "validateSession", validateSession),
    /** SES-2: ends one session. */
    logout: traced(deps, "logout", logout),
    /** SES-2: ends every session of the token's account. */
    logoutEverywhere: traced(deps, "logoutEverywhere", logoutEverywhere),

    /**
     * MAIL-2: sends the outbox's due messages (retries, and anything queued
     * with `mail.sendAfterCommit` off). Run it from a timer or a worker on any
     * number of instances: each message goes to one of them.
     */
    dispatchMail: () => inEntryPointSpan(deps, "dispatchMail", () => dispatchMail(deps)),
    /** MAIL-2: the outbox's messages with one status (default `failed`), for the support team. */
    listMail: traced(deps, "listMail", listMail),
    /** MAIL-2: re-queues a `failed` message with fresh attempts (support team). */
    retryMail: traced(deps, "retryMail", retryMail),

    /** AUD-2: a panel's audit trail, newest first, paged (the panel's administrators only). */
    listPanelActivity: traced(deps, "listPanelActivity", listPanelActivity),
    /** AUD-2: the session's account's own security events, newest first, paged. */
    listSecurityActivity: traced(deps, "listSecurityActivity", listSecurityActivity),
    /** AUD-2: every event, or one account's or panel's, newest first, paged (support team). */
    listAllActivity: traced(deps, "listAllActivity", listAllActivity),

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

    /**
     * MAIL-2: runs `dispatchMail` in the background on this instance (see
     * `startMailDispatcher`), reporting to the library's logger unless
     * `options` say otherwise. `shutdown()` stops it.
     */
    startMailDispatcher: (dispatcherOptions: MailDispatcherOptions = {}): MailDispatcher => {
      const dispatcher = startMailDispatcher(library, {
        logger: deps.logger,
        ...dispatcherOptions,
      });
      dispatchers.add(dispatcher);
      deps.lifecycle.dispatcherStarted = true;
      return dispatcher;
    },

    /**
     * Graceful shutdown, the one call before the process exits: no message
     * is claimed or sent after a commit any more (they stay pending for the
     * other instances, or the next start), the dispatchers started with
     * `startMailDispatcher` stop, and the sends, `dispatchMail()` rounds and
     * background work already under way finish and are recorded, waiting at
     * most `timeout` milliseconds (default 10 000; `Infinity`: no deadline).
     * Use cases still answer afterwards. The store and the mailer belong to
     * the host: close them after this (`pool.end()`, `mailer.close()`).
     * Rejects with `PanelAccessConfigError` for a `timeout` that is not whole
     * milliseconds from 0 to 2^31 - 1, or `Infinity`.
     */
    shutdown: (shutdownOptions: { readonly timeout?: number } = {}): Promise<ShutdownReport> =>
      shutdown(
        deps,
        async () => {
          await Promise.all([...dispatchers].map((dispatcher) => dispatcher.stop()));
        },
        shutdownOptions.timeout ?? 10_000,
      ),
  };
  return library;
}

/** The library's entry point, as `createPanelAccess` returns it. */
export type PanelAccess = ReturnType<typeof createPanelAccess>;
