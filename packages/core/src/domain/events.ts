import type { DateTime } from "luxon";
import type { AccessTerm } from "./access.js";
import type { Actor } from "./actor.js";
import type { MailKind } from "./mail.js";
import type { AuthenticationMethod } from "./session.js";

/** Who caused an event: an actor, or someone not yet identified (a login attempt, a link holder). */
export type EventActor = Actor | { readonly type: "anonymous" };

interface EventBase {
  readonly at: DateTime;
  readonly actor: EventActor;
}

/** Why a password step failed: for the audit trail only, never for the caller (LCK-8). */
export type LoginFailureReason =
  | "unknownAccount"
  | "unregistered"
  | "expired"
  | "locked"
  | "permanentlyBlocked"
  | "wrongPassword"
  /** LCK-6: a wrong or replayed TOTP or backup code. */
  | "wrongSecondFactor";

/** Why sessions were revoked (SES-2). */
export type SessionRevocationReason =
  | "logout"
  | "logoutEverywhere"
  | "passwordReset"
  | "permanentBlock"
  | "twoFactorReset";

/**
 * AUD-1: every state change emits one of these. They name who, what, which
 * account and panel, and when; never a password, code, secret or raw token.
 */
export type DomainEvent =
  | (EventBase & { readonly type: "panel.created"; readonly panelId: string })
  | (EventBase & { readonly type: "account.created"; readonly accountId: string })
  | (EventBase & {
      readonly type: "invitation.sent";
      readonly accountId: string;
      readonly panelId: string;
      /** The id of the link record (the token's public selector), not its secret. */
      readonly invitationId: string;
      readonly expiresAt: DateTime;
    })
  | (EventBase & {
      readonly type: "membership.granted";
      readonly accountId: string;
      readonly panelId: string;
      readonly role: string;
      readonly access: AccessTerm;
    })
  | (EventBase & {
      readonly type: "membership.changed";
      readonly accountId: string;
      readonly panelId: string;
      readonly role: string;
      readonly access: AccessTerm;
      readonly previousRole: string;
      readonly previousAccess: AccessTerm;
    })
  | (EventBase & {
      readonly type: "membership.removed";
      readonly accountId: string;
      readonly panelId: string;
    })
  | (EventBase & {
      readonly type: "access.restored";
      readonly accountId: string;
      readonly panelId: string;
    })
  | (EventBase & { readonly type: "account.registered"; readonly accountId: string })
  | (EventBase & {
      readonly type: "login.failed";
      /** `null` when no account has this e-mail. */
      readonly accountId: string | null;
      readonly email: string;
      readonly reason: LoginFailureReason;
    })
  | (EventBase & {
      /** The password was right; the second factor (or its setup) comes next. */
      readonly type: "login.passwordAccepted";
      readonly accountId: string;
      readonly challengeId: string;
    })
  | (EventBase & {
      readonly type: "login.completed";
      readonly accountId: string;
      readonly sessionId: string;
      readonly method: AuthenticationMethod;
    })
  | (EventBase & {
      readonly type: "account.locked";
      readonly accountId: string;
      readonly consecutiveLocks: number;
    })
  | (EventBase & { readonly type: "account.permanentlyBlocked"; readonly accountId: string })
  | (EventBase & { readonly type: "account.unblocked"; readonly accountId: string })
  | (EventBase & {
      readonly type: "passwordReset.sent";
      readonly accountId: string;
      /** The link record's id (public selector), not its secret. */
      readonly linkId: string;
      readonly expiresAt: DateTime;
    })
  /** PWD-5: "forgot password" asked past the limit: no link was sent, the latest stays valid. */
  | (EventBase & { readonly type: "passwordReset.limited"; readonly accountId: string })
  | (EventBase & { readonly type: "password.reset"; readonly accountId: string })
  | (EventBase & {
      readonly type: "sessions.revoked";
      readonly accountId: string;
      /** The session ids (public selectors) that ended. */
      readonly sessionIds: readonly string[];
      readonly reason: SessionRevocationReason;
    })
  | (EventBase & { readonly type: "twoFactor.enrolled"; readonly accountId: string })
  | (EventBase & {
      /** TFA-8: an administrator cleared the enrolment, backup codes and remembered browsers. */
      readonly type: "twoFactor.reset";
      readonly accountId: string;
      /** The panel whose administrator reset it; `null` when the support team did (TFA-8 v2). */
      readonly panelId: string | null;
    })
  | (EventBase & {
      readonly type: "backupCodes.issued";
      readonly accountId: string;
      readonly count: number;
    })
  | (EventBase & {
      readonly type: "backupCode.used";
      readonly accountId: string;
      /** Unused codes left after this one. */
      readonly remaining: number;
    })
  | (EventBase & {
      readonly type: "rememberedBrowser.created";
      readonly accountId: string;
      readonly browserId: string;
    })
  | (EventBase & {
      readonly type: "rememberedBrowsers.forgotten";
      readonly accountId: string;
      readonly browserIds: readonly string[];
    })
  | (EventBase & {
      /**
       * MAIL-2: an attempt to send failed. The state change stands and the
       * message stays in the outbox: tried again at `retryAt`, or, when that
       * is `null`, marked `failed` after its last attempt (re-queue it with
       * `retryMail`). `reason` is an error code, never the message.
       */
      readonly type: "mail.failed";
      readonly kind: MailKind;
      readonly accountId: string;
      readonly messageId: string;
      readonly attempts: number;
      readonly retryAt: DateTime | null;
      readonly reason: string;
    })
  | (EventBase & {
      /**
       * MAIL-2, AUD-2: the support team put a `failed` message back in the
       * queue (`retryMail`), due at once with a fresh set of attempts. Stored
       * in the audit trail with the operator who did it. It names the
       * message (`listMail` shows its kind and account while it is kept),
       * never its content.
       */
      readonly type: "mail.requeued";
      readonly messageId: string;
    })
  | (EventBase & {
      /**
       * PWD-2, LCK-8: work that went on after the caller was answered failed
       * (`forgotPassword`'s account work, a failed login's count, which is tried
       * once more in a fresh unit of work first). `reason`
       * is an error code (`STORAGE_FAILED`, or `DEFECT` for a bug), never a
       * message or an e-mail address.
       */
      readonly type: "backgroundWork.failed";
      readonly operation: "forgotPassword" | "login";
      readonly reason: "STORAGE_FAILED" | "DEFECT";
      /** The account whose failure count could not be saved (login); `null` when none is known. */
      readonly accountId: string | null;
    });

/** The `type` of every domain event (AUD-1). */
export type DomainEventType = DomainEvent["type"];
