import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { type AccountRecord, statusOf } from "../../src/domain/account.js";
import type { MembershipRecord } from "../../src/domain/membership.js";

const now = DateTime.fromISO("2026-03-01T12:00:00Z", { zone: "utc" });
const base: AccountRecord = {
  id: "a1",
  email: "p@example.com",
  createdAt: now.minus({ days: 30 }),
  passwordHash: "$argon2id$…",
  registeredAt: now.minus({ days: 29 }),
  lockout: { consecutiveFailures: 0, consecutiveLocks: 0, lockedAt: null, blockedAt: null },
  twoFactor: null,
};
const membership = (access: MembershipRecord["access"]): MembershipRecord => ({
  accountId: "a1",
  panelId: "p1",
  role: "analyst",
  access,
  grantedAt: now.minus({ days: 29 }),
  updatedAt: now.minus({ days: 29 }),
});
const permanent = membership({ type: "permanent" });

describe("account status", () => {
  it("ACC-6: a registered account with a live membership is active", () => {
    expect(statusOf(base, [permanent], now)).toBe("active");
  });

  it("ACC-1: an account that has not registered is unregistered", () => {
    expect(statusOf({ ...base, passwordHash: null, registeredAt: null }, [permanent], now)).toBe(
      "unregistered",
    );
  });

  it("PNL-5: a registered account with no membership, or only ended ones, is expired", () => {
    expect(statusOf(base, [], now)).toBe("expired");
    const ended = membership({ type: "temporary", endsAt: now });
    expect(statusOf(base, [ended], now)).toBe("expired");
    const endsSoon = membership({ type: "temporary", endsAt: now.plus({ milliseconds: 1 }) });
    expect(statusOf(base, [endsSoon], now)).toBe("active");
  });

  it("precedence: permanentlyBlocked > locked > unregistered > expired > active", () => {
    const all: AccountRecord = {
      ...base,
      passwordHash: null,
      registeredAt: null,
      lockout: { ...base.lockout, lockedAt: now, blockedAt: now },
    };
    expect(statusOf(all, [], now)).toBe("permanentlyBlocked");
    expect(statusOf({ ...all, lockout: { ...all.lockout, blockedAt: null } }, [], now)).toBe(
      "locked",
    );
    expect(statusOf({ ...all, lockout: base.lockout }, [], now)).toBe("unregistered");
    expect(statusOf(base, [], now)).toBe("expired");
  });
});
