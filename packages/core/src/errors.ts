import type { DateTime, Duration } from "luxon";
import type { PasswordScreenReason } from "./ports/password-screen.js";

/** One problem found while validating input. Never carries the input value itself. */
export interface InputIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** INP-1: the input did not match the use case's schema. Nothing changed. */
export interface InvalidInput {
  readonly type: "INVALID_INPUT";
  readonly issues: readonly InputIssue[];
}
/** ACC-5: the actor may not do this; nothing changed. */
export interface Forbidden {
  readonly type: "FORBIDDEN";
}
/** No panel has this id. */
export interface PanelNotFound {
  readonly type: "PANEL_NOT_FOUND";
}
/** No account has this e-mail (or id). */
export interface AccountNotFound {
  readonly type: "ACCOUNT_NOT_FOUND";
}
/** The account is not a member of this panel. */
export interface MembershipNotFound {
  readonly type: "MEMBERSHIP_NOT_FOUND";
}
/** An `endsAt` at or before now: temporary access must end in the future (PNL-1). */
export interface AccessEndNotInFuture {
  readonly type: "ACCESS_END_NOT_IN_FUTURE";
}
/** PNL-3: ended access cannot be edited; re-invite instead. */
export interface AccessEnded {
  readonly type: "ACCESS_ENDED";
  readonly endedAt: DateTime;
}
/** A re-invite for access that has not ended: edit it instead (PNL-2). */
export interface AccessStillLive {
  readonly type: "ACCESS_STILL_LIVE";
}
/** A resend for an account that has registered: it needs no invitation (ACC-2). */
export interface AlreadyRegistered {
  readonly type: "ALREADY_REGISTERED";
}
/** An invitation for someone whose every access has ended: re-invite with a new term. */
export interface NoLiveAccess {
  readonly type: "NO_LIVE_ACCESS";
}
/** PNL-6: a panel keeps at least one administrator with live access. */
export interface LastAdministrator {
  readonly type: "LAST_ADMINISTRATOR";
}
/** ACC-6: the link does not exist, or its secret is wrong. */
export interface InvitationUnknown {
  readonly type: "INVITATION_UNKNOWN";
}
/** ACC-8: the invitation link was already used to register. */
export interface InvitationUsed {
  readonly type: "INVITATION_USED";
  readonly usedAt: DateTime;
}
/** ACC-4: a newer invitation was sent; the person must use the latest e-mail. */
export interface InvitationSuperseded {
  readonly type: "INVITATION_SUPERSEDED";
}
/** ACC-3: the invitation link expired, or the access it grants has ended. */
export interface InvitationExpired {
  readonly type: "INVITATION_EXPIRED";
  readonly expiredAt: DateTime;
}
/** Every membership the invitation granted was removed. */
export interface InvitationRevoked {
  readonly type: "INVITATION_REVOKED";
}
/** Infrastructure failure: the store could not complete the unit of work. Nothing changed. */
export interface StorageFailed {
  readonly type: "STORAGE_FAILED";
  readonly cause: unknown;
}

/** Every reason an invitation link does not work (ACC-4, ACC-6, ACC-8). */
export type InvitationRefused =
  | InvitationUnknown
  | InvitationUsed
  | InvitationSuperseded
  | InvitationExpired
  | InvitationRevoked;

/** The `FORBIDDEN` error. */
export const forbidden = (): Forbidden => ({ type: "FORBIDDEN" });
/** The `PANEL_NOT_FOUND` error. */
export const panelNotFound = (): PanelNotFound => ({ type: "PANEL_NOT_FOUND" });
/** The `ACCOUNT_NOT_FOUND` error. */
export const accountNotFound = (): AccountNotFound => ({ type: "ACCOUNT_NOT_FOUND" });
/** The `MEMBERSHIP_NOT_FOUND` error. */
export const membershipNotFound = (): MembershipNotFound => ({ type: "MEMBERSHIP_NOT_FOUND" });
/** The `STORAGE_FAILED` error, wrapping what the adapter threw. */
export const storageFailed = (cause: unknown): StorageFailed => ({ type: "STORAGE_FAILED", cause });

/**
 * LCK-8: the one public answer for every failed login, whatever the reason
 * (unknown e-mail, wrong password, locked, blocked, unregistered, expired,
 * wrong or replayed code, dead challenge). The reason goes to the audit event.
 */
export interface LoginFailed {
  readonly type: "LOGIN_FAILED";
}
/** The one `LOGIN_FAILED` error (LCK-8). */
export const loginFailed = (): LoginFailed => ({ type: "LOGIN_FAILED" });

/** PWD-3: the reset link does not exist, or its secret is wrong. */
export interface ResetLinkUnknown {
  readonly type: "RESET_LINK_UNKNOWN";
}
/** PWD-3: the reset link was already used. */
export interface ResetLinkUsed {
  readonly type: "RESET_LINK_USED";
  readonly usedAt: DateTime;
}
/** PWD-3: a newer reset link was sent; only the latest works. */
export interface ResetLinkSuperseded {
  readonly type: "RESET_LINK_SUPERSEDED";
}
/** PWD-3: the reset link expired. */
export interface ResetLinkExpired {
  readonly type: "RESET_LINK_EXPIRED";
  readonly expiredAt: DateTime;
}
/** LCK-5: a permanent block is not lifted by a password reset; contact support. */
export interface AccountBlocked {
  readonly type: "ACCOUNT_BLOCKED";
}
/** Every reason a password-reset link does not work (PWD-3, LCK-5). */
export type ResetLinkRefused =
  | ResetLinkUnknown
  | ResetLinkUsed
  | ResetLinkSuperseded
  | ResetLinkExpired
  | AccountBlocked;

/**
 * PWD-6: the new password was refused by the password screen: `reason` says
 * why (`common`, `breached`, `contextual`, `repetitive`), never the password.
 * Nothing changed: the link still works with another password.
 */
export interface PasswordTooCommon {
  readonly type: "PASSWORD_TOO_COMMON";
  readonly reason: PasswordScreenReason;
}
/**
 * PWD-6: the password screen failed (threw, rejected or answered nonsense), so
 * the password was refused unscreened (fail closed). Nothing changed: the link
 * still works; try again later. `cause` is what the screen threw.
 */
export interface PasswordScreenUnavailable {
  readonly type: "PASSWORD_SCREEN_UNAVAILABLE";
  readonly cause: unknown;
}
/** Every reason PWD-6 refuses a new password. */
export type PasswordRefused = PasswordTooCommon | PasswordScreenUnavailable;

/** SES-1: unknown, revoked, expired (idle or absolute), or its account can no longer log in. */
export interface SessionInvalid {
  readonly type: "SESSION_INVALID";
}
/** The `SESSION_INVALID` error. */
export const sessionInvalid = (): SessionInvalid => ({ type: "SESSION_INVALID" });

/**
 * TFA-8 v2: the person holds live access to a panel the administrator does
 * not administer (another organisation's, perhaps), so only the support team
 * may reset their 2FA. Nothing changed.
 */
export interface TwoFactorResetNeedsSupport {
  readonly type: "TWO_FACTOR_RESET_NEEDS_SUPPORT";
}

/**
 * TFA-9 v2: the session was opened through SSO; managing credentials (backup
 * codes, remembered browsers) needs a session from a login that passed the
 * library's second factor. Nothing changed.
 */
export interface SecondFactorSessionRequired {
  readonly type: "SECOND_FACTOR_SESSION_REQUIRED";
}

/**
 * PWD-2 v2: this instance already has as much forgot-password work waiting
 * as it takes (`maxBackgroundWork`): try again shortly. The same answer for
 * every e-mail. Nothing changed.
 */
export interface Busy {
  readonly type: "BUSY";
}
/** The `BUSY` error. */
export const busy = (): Busy => ({ type: "BUSY" });

/**
 * LCK-9: too many recent failures from this address, for this e-mail, or on
 * this instance: nothing was checked. Try again after `retryAfter`. The same
 * answer whether or not the e-mail has an account.
 */
export interface TooManyAttempts {
  readonly type: "TOO_MANY_ATTEMPTS";
  readonly retryAfter: Duration;
}
/**
 * LCK-9: the throttle store could not be reached and `throttle.onStoreFailure`
 * is `closed`: nothing was checked or changed.
 */
export interface ThrottleUnavailable {
  readonly type: "THROTTLE_UNAVAILABLE";
}

/** LCK-5: an unblock for an account that is not permanently blocked. */
export interface NotBlocked {
  readonly type: "NOT_BLOCKED";
}
