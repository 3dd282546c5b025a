import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { invitationStateOf } from "../../src/domain/invitation.js";
import type { MembershipRecord } from "../../src/domain/membership.js";
import { linkStateOf, type OneTimeLinkRecord } from "../../src/domain/one-time-link.js";

const issuedAt = DateTime.fromISO("2026-03-01T09:00:00Z", { zone: "utc" });
const link: OneTimeLinkRecord = {
  id: "l1",
  accountId: "a1",
  purpose: "invitation",
  sequence: 2,
  secretHash: "00",
  panelId: "p1",
  issuedAt,
  expiresAt: issuedAt.plus({ days: 7 }),
  consumedAt: null,
};
const live: MembershipRecord = {
  accountId: "a1",
  panelId: "p1",
  role: "analyst",
  access: { type: "permanent" },
  grantedAt: issuedAt,
  updatedAt: issuedAt,
};

describe("invitation link state", () => {
  it("ACC-3: valid one millisecond before expiry, expired at it", () => {
    const before = link.expiresAt.minus({ milliseconds: 1 });
    expect(invitationStateOf(linkStateOf(link, 2, before), [live], before)).toEqual({
      state: "valid",
    });
    expect(invitationStateOf(linkStateOf(link, 2, link.expiresAt), [live], link.expiresAt)).toEqual(
      {
        state: "expired",
        expiredAt: link.expiresAt,
      },
    );
  });

  it("ACC-4: a link older than the latest is superseded", () => {
    expect(invitationStateOf(linkStateOf(link, 3, issuedAt), [live], issuedAt)).toEqual({
      state: "superseded",
    });
  });

  it("ACC-8: a consumed link is used, whatever else holds", () => {
    const used = { ...link, consumedAt: issuedAt.plus({ hours: 1 }) };
    expect(invitationStateOf(linkStateOf(used, 3, link.expiresAt), [], link.expiresAt)).toEqual({
      state: "used",
      usedAt: used.consumedAt,
    });
  });

  it("ACC-3 decision: with no membership left the link is revoked; with all ended it is expired", () => {
    expect(invitationStateOf(linkStateOf(link, 2, issuedAt), [], issuedAt)).toEqual({
      state: "revoked",
    });
    const endsAt = issuedAt.plus({ days: 1 });
    const ended = { ...live, access: { type: "temporary" as const, endsAt } };
    expect(invitationStateOf(linkStateOf(link, 2, endsAt), [ended], endsAt)).toEqual({
      state: "expired",
      expiredAt: endsAt,
    });
  });
});
