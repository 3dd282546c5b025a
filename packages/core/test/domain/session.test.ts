import { DateTime, Duration } from "luxon";
import { describe, expect, it } from "vitest";
import { isSessionUsable, type SessionRecord, sessionEndsAt } from "../../src/domain/session.js";

const createdAt = DateTime.fromISO("2026-03-01T08:00:00Z", { zone: "utc" });
const policy = {
  idleTimeout: Duration.fromObject({ minutes: 30 }),
  absoluteTimeout: Duration.fromObject({ hours: 12 }),
};
const session: SessionRecord = {
  id: "s1",
  accountId: "a1",
  secretHash: "00",
  method: "local",
  createdAt,
  lastUsedAt: createdAt,
  expiresAt: createdAt.plus(policy.absoluteTimeout),
};

describe("session lifetimes", () => {
  it("SES-1: idle expiry: usable 1 ms before lastUsedAt + idle, not at it", () => {
    const idleEnd = createdAt.plus({ minutes: 30 });
    expect(isSessionUsable(session, policy, idleEnd.minus({ milliseconds: 1 }))).toBe(true);
    expect(isSessionUsable(session, policy, idleEnd)).toBe(false);
  });

  it("SES-1: absolute expiry: a session used a minute ago still ends at its absolute limit", () => {
    const end = session.expiresAt;
    const active = { ...session, lastUsedAt: end.minus({ minutes: 1 }) };
    expect(sessionEndsAt(active, policy)).toEqual(end);
    expect(isSessionUsable(active, policy, end.minus({ milliseconds: 1 }))).toBe(true);
    expect(isSessionUsable(active, policy, end)).toBe(false);
  });
});
