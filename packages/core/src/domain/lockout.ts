import type { DateTime } from "luxon";
import { type LockoutFacts, NO_LOCKOUT } from "./account.js";

/** How many failures lock, how many locks in a row block (LCK-1, LCK-5). */
export interface LockoutPolicy {
  /** The failure that locks: the 6th in a row by default. */
  readonly lockoutThreshold: number;
  /** The lock that blocks permanently: the 3rd in a row by default. */
  readonly locksBeforePermanentBlock: number;
}

/** What one more failure leads to. */
export type FailureConsequence = "counted" | "locked" | "permanentlyBlocked";

/**
 * LCK-1, LCK-5, LCK-6: one more consecutive failure (wrong password or wrong
 * second factor). The threshold-th failure locks; the lock that completes the
 * row blocks permanently.
 */
export function recordFailure(
  lockout: LockoutFacts,
  policy: LockoutPolicy,
  now: DateTime,
): { lockout: LockoutFacts; consequence: FailureConsequence } {
  const consecutiveFailures = lockout.consecutiveFailures + 1;
  if (consecutiveFailures < policy.lockoutThreshold) {
    return { lockout: { ...lockout, consecutiveFailures }, consequence: "counted" };
  }
  const consecutiveLocks = lockout.consecutiveLocks + 1;
  const blocked = consecutiveLocks >= policy.locksBeforePermanentBlock;
  return {
    lockout: {
      consecutiveFailures,
      consecutiveLocks,
      lockedAt: now,
      blockedAt: blocked ? now : null,
    },
    consequence: blocked ? "permanentlyBlocked" : "locked",
  };
}

/** LCK-5: a successful login with every factor ends the lock row. */
export function afterCompleteLogin(lockout: LockoutFacts): LockoutFacts {
  return { ...lockout, consecutiveFailures: 0, consecutiveLocks: 0 };
}

/** LCK-4: a password reset unlocks and zeroes the failure count; the lock row goes on. */
export function afterPasswordReset(lockout: LockoutFacts): LockoutFacts {
  return { ...lockout, consecutiveFailures: 0, lockedAt: null };
}

/** LCK-5: support lifts a permanent block; the person starts afresh. */
export function afterUnblock(): LockoutFacts {
  return NO_LOCKOUT;
}
