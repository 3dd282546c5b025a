import { DateTime, Duration } from "luxon";
import { describe, expect, it } from "vitest";
import { longestLivedAccess } from "../../src/domain/access.js";
import { invitationExpiresAt } from "../../src/domain/invitation.js";

const sentAt = DateTime.fromISO("2026-03-01T09:30:00Z", { zone: "utc" });
const temporary = (days: number) => ({ type: "temporary" as const, endsAt: sentAt.plus({ days }) });

describe("ACC-3: invitation expiry = min(sentAt + 7 days, end of temporary access)", () => {
  it("ACC-3: permanent access: 7 × 24 h after sending", () => {
    const expiresAt = invitationExpiresAt(sentAt, { type: "permanent" });
    expect(expiresAt.diff(sentAt).as("hours")).toBe(168);
  });

  it("ACC-3: 3 days of temporary access: the link expires on day 3, when access ends", () => {
    expect(invitationExpiresAt(sentAt, temporary(3)).toISO()).toBe(
      sentAt.plus({ days: 3 }).toISO(),
    );
  });

  it("ACC-3: temporary access of exactly 7 days or more: 7 days after sending", () => {
    expect(invitationExpiresAt(sentAt, temporary(7)).toISO()).toBe(
      sentAt.plus({ hours: 168 }).toISO(),
    );
    expect(invitationExpiresAt(sentAt, temporary(30)).toISO()).toBe(
      sentAt.plus({ hours: 168 }).toISO(),
    );
  });

  it("ACC-3: the validity is configurable", () => {
    const expiresAt = invitationExpiresAt(
      sentAt,
      { type: "permanent" },
      Duration.fromObject({ days: 2 }),
    );
    expect(expiresAt.toISO()).toBe(sentAt.plus({ days: 2 }).toISO());
  });

  it("ACC-3 decision: with several memberships the longest-lived live term counts; permanent wins", () => {
    const now = sentAt;
    const ended = { type: "temporary" as const, endsAt: now.minus({ days: 1 }) };
    expect(longestLivedAccess([temporary(2), temporary(5), ended], now)).toEqual(temporary(5));
    expect(longestLivedAccess([temporary(2), { type: "permanent" }], now)).toEqual({
      type: "permanent",
    });
    expect(longestLivedAccess([ended], now)).toBeNull();
  });
});
