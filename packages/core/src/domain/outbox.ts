import type { DateTime } from "luxon";
import type { MailKind } from "./mail.js";

/**
 * Where a message of the outbox stands (MAIL-2).
 * - `pending`: waiting for its next attempt (or being attempted, while claimed).
 * - `sent`: the mail server accepted it; its payload is erased.
 * - `failed`: every attempt failed; kept, visible and re-queueable, never dropped.
 */
export type OutboxStatus = "pending" | "sent" | "failed";

/**
 * One message to send, written in the same unit of work as the state change
 * it reports, so that neither exists without the other (MAIL-2).
 */
export interface OutboxMessageRecord {
  /**
   * Random id and idempotency key: every attempt at this message carries it
   * (SMTP: the `Message-ID`), so a receiver can tell a retry from a new message.
   */
  readonly id: string;
  readonly kind: MailKind;
  readonly accountId: string;
  /**
   * The message intent, sealed (AES-256-GCM with the `twoFactor.encryptionKeys`,
   * the message id as associated data): it holds a live link. `null` once sent.
   */
  readonly payload: string | null;
  readonly status: OutboxStatus;
  /** Attempts made so far. */
  readonly attempts: number;
  readonly createdAt: DateTime;
  /** Not attempted before this instant. */
  readonly nextAttemptAt: DateTime;
  /** Set while a dispatcher holds the message; another may take it over after this instant. */
  readonly claimedUntil: DateTime | null;
  /** Which claim holds it: only that claim may settle it. */
  readonly claimId: string | null;
  readonly sentAt: DateTime | null;
  /** Why the last attempt failed: an error code, never the message or a secret. */
  readonly lastError: string | null;
}

/** What `StorageTx.claimMail` takes. */
export interface MailClaim {
  /** Claims pending messages due at `now` that no live claim holds. */
  readonly now: DateTime;
  /** The claim holds the messages until this instant. */
  readonly until: DateTime;
  readonly claimId: string;
  readonly limit: number;
  /** Only these messages (the ones a unit of work has just written). */
  readonly ids?: readonly string[];
}

/**
 * How an attempt ended, for `StorageTx.settleMail` and `settleMails`:
 * - `sent`: the mail server accepted it (its payload is erased, its attempts
 *   counted);
 * - `pending` / `failed`: the attempt failed; tried again at `nextAttemptAt`,
 *   or given up;
 * - `released`: never attempted (claimed ahead and not begun when the
 *   instance began shutting down, or when too little of its claim was left):
 *   only the claim is cleared, the message is otherwise as it was.
 */
export type MailOutcome =
  | { readonly status: "sent"; readonly at: DateTime }
  | {
      readonly status: "pending" | "failed";
      readonly attempts: number;
      readonly nextAttemptAt: DateTime;
      readonly lastError: string;
    }
  | { readonly status: "released" };

/** One message's outcome and the claim it is recorded under, for `StorageTx.settleMails`. */
export interface MailSettlement {
  readonly id: string;
  /** Only this claim may settle the message. */
  readonly claimId: string;
  readonly outcome: MailOutcome;
}

/** When failed sends are tried again (MAIL-2). */
export interface RetryPolicy {
  /** Attempts before a message is marked `failed`. */
  readonly maxAttempts: number;
  /** Wait after the first failure, in milliseconds; doubles after each further one. */
  readonly firstDelayMs: number;
  /** The longest wait between attempts, in milliseconds. */
  readonly maxDelayMs: number;
}

/**
 * MAIL-2: what happens after the `attempts`-th failed attempt: another try
 * after an exponential backoff (first, 2×first, 4×first… capped at max), or
 * `failed` once `maxAttempts` attempts have failed.
 */
export function afterFailedAttempt(
  attempts: number,
  now: DateTime,
  policy: RetryPolicy,
): { status: "pending" | "failed"; nextAttemptAt: DateTime } {
  const delay = Math.min(policy.firstDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  return {
    status: attempts >= policy.maxAttempts ? "failed" : "pending",
    nextAttemptAt: now.plus({ milliseconds: delay }),
  };
}
