import type { DateTime } from "luxon";
import { isMembershipLive, type MembershipRecord } from "./membership.js";

/** Lockout facts (LCK-*). Written by the login flow; read here to derive the status. */
export interface LockoutFacts {
  /** Consecutive failed password or second-factor checks since the last success or reset. */
  readonly consecutiveFailures: number;
  /** Locks in a row not yet ended by a complete successful login (LCK-5). */
  readonly consecutiveLocks: number;
  /** Set while the account is locked (LCK-1); cleared by a password reset (LCK-4). */
  readonly lockedAt: DateTime | null;
  /** Set when the account is permanently blocked (LCK-5); only support clears it. */
  readonly blockedAt: DateTime | null;
}

export const NO_LOCKOUT: LockoutFacts = {
  consecutiveFailures: 0,
  consecutiveLocks: 0,
  lockedAt: null,
  blockedAt: null,
};

/**
 * The account's TOTP enrolment (TFA-1, TFA-2). The secret is sealed with
 * AES-256-GCM under a host key (TFA-11), never stored in the clear.
 */
export type TwoFactorEnrolment =
  /** A secret shown at setup and not confirmed by a code yet. */
  | { readonly status: "pending"; readonly sealedSecret: string; readonly createdAt: DateTime }
  /** Confirmed: every later login asks for a code (TFA-3). */
  | { readonly status: "enrolled"; readonly sealedSecret: string; readonly enrolledAt: DateTime };

/** One person's identity, keyed by normalised e-mail. One account, many panels. */
export interface AccountRecord {
  readonly id: string;
  /** Normalised (see `normaliseEmail`); unique. */
  readonly email: string;
  readonly createdAt: DateTime;
  /** argon2id PHC string; `null` until registration is completed. */
  readonly passwordHash: string | null;
  readonly registeredAt: DateTime | null;
  readonly lockout: LockoutFacts;
  /** `null` until the first setup starts, and again after an administrator's reset (TFA-8). */
  readonly twoFactor: TwoFactorEnrolment | null;
}

/** The status derived from an account's facts, with the precedence of RULES.md: permanentlyBlocked > locked > unregistered > expired > active. */
export type AccountStatus = "unregistered" | "active" | "locked" | "permanentlyBlocked" | "expired";

/**
 * The account's status, derived from stored facts and `now` (never stored).
 * Precedence: permanentlyBlocked > locked > unregistered > expired > active.
 */
export function statusOf(
  account: AccountRecord,
  memberships: readonly MembershipRecord[],
  now: DateTime,
): AccountStatus {
  if (account.lockout.blockedAt !== null) return "permanentlyBlocked";
  if (account.lockout.lockedAt !== null) return "locked";
  if (account.registeredAt === null) return "unregistered";
  if (!memberships.some((m) => isMembershipLive(m, now))) return "expired";
  return "active";
}
