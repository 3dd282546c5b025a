import { DateTime, Duration } from "luxon";
import { describe, expect, it } from "vitest";
import {
  isLastUseDue,
  isSessionUsable,
  lastUseDueBy,
  type SessionRecord,
  sessionEndsAt,
} from "../../src/domain/session.js";

const createdAt = DateTime.fromISO("2026-03-01T08:00:00Z", { zone: "utc" });
const policy = {
  idleTimeout: Duration.fromObject({ minutes: 30 }),
  absoluteTimeout: Duration.fromObject({ hours: 12 }),
  lastUseInterval: Duration.fromObject({ minutes: 1 }),
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

  it("SES-3: a use is due for recording once the recorded last use is the interval old: not 1 ms before, at it and after", () => {
    const due = createdAt.plus({ minutes: 1 });
    expect(isLastUseDue(session, policy, createdAt)).toBe(false);
    expect(isLastUseDue(session, policy, due.minus({ milliseconds: 1 }))).toBe(false);
    expect(isLastUseDue(session, policy, due)).toBe(true);
    expect(isLastUseDue(session, policy, due.plus({ minutes: 5 }))).toBe(true);
  });

  it("SES-3: the write's guard is now - interval, so a last use recorded exactly then is still due and a younger one is not", () => {
    const now = createdAt.plus({ minutes: 7 });
    expect(lastUseDueBy(policy, now).toMillis()).toBe(createdAt.plus({ minutes: 6 }).toMillis());
    const atGuard = { ...session, lastUsedAt: lastUseDueBy(policy, now) };
    expect(isLastUseDue(atGuard, policy, now)).toBe(true);
    const younger = { ...session, lastUsedAt: lastUseDueBy(policy, now).plus({ milliseconds: 1 }) };
    expect(isLastUseDue(younger, policy, now)).toBe(false);
  });
});
