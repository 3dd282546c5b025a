import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { LockoutFacts } from "../../src/domain/account.js";
import { afterCompleteLogin, afterPasswordReset, recordFailure } from "../../src/domain/lockout.js";

const now = DateTime.fromISO("2026-03-01T12:00:00Z", { zone: "utc" });
const policy = { lockoutThreshold: 6, locksBeforePermanentBlock: 3 };
const clean: LockoutFacts = {
  consecutiveFailures: 0,
  consecutiveLocks: 0,
  lockedAt: null,
  blockedAt: null,
};

function fail(times: number, from: LockoutFacts = clean) {
  let lockout = from;
  let consequence = "counted";
  for (let i = 0; i < times; i++) ({ lockout, consequence } = recordFailure(lockout, policy, now));
  return { lockout, consequence };
}

describe("lockout rules", () => {
  it("LCK-1: five failures in a row are counted; the sixth locks", () => {
    expect(fail(5)).toEqual({
      lockout: { ...clean, consecutiveFailures: 5 },
      consequence: "counted",
    });
    expect(fail(6)).toEqual({
      lockout: { consecutiveFailures: 6, consecutiveLocks: 1, lockedAt: now, blockedAt: null },
      consequence: "locked",
    });
  });

  it("LCK-1 v2: only a completed login zeroes the count; it also ends the lock row", () => {
    const { lockout } = fail(5, { ...clean, consecutiveLocks: 2 });
    expect(afterCompleteLogin(lockout)).toEqual(clean);
  });

  it("LCK-4: a reset unlocks and zeroes the count; the lock row goes on", () => {
    const { lockout } = fail(6);
    expect(afterPasswordReset(lockout)).toEqual({ ...clean, consecutiveLocks: 1 });
  });

  it("LCK-5: the third lock in a row blocks permanently; the second does not", () => {
    const second = fail(6, afterPasswordReset(fail(6).lockout));
    expect(second.consequence).toBe("locked");
    expect(second.lockout.consecutiveLocks).toBe(2);
    const third = fail(6, afterPasswordReset(second.lockout));
    expect(third).toEqual({
      lockout: { consecutiveFailures: 6, consecutiveLocks: 3, lockedAt: now, blockedAt: now },
      consequence: "permanentlyBlocked",
    });
  });

  it("LCK-5: a complete login ends the row", () => {
    const { lockout } = fail(3, { ...clean, consecutiveLocks: 2 });
    expect(afterCompleteLogin(lockout)).toEqual(clean);
    const afterRowEnded = fail(6, afterCompleteLogin(lockout));
    expect(afterRowEnded.consequence).toBe("locked");
  });
});
