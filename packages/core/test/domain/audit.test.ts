import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  auditEventId,
  auditRecordOf,
  decodeCursor,
  EVENT_TYPES,
  encodeCursor,
  eventOf,
  newestFirst,
  pageOf,
  SECURITY_EVENT_TYPES,
} from "../../src/domain/audit.js";
import type { DomainEvent, DomainEventType } from "../../src/domain/events.js";

const at = DateTime.fromISO("2026-01-05T09:00:00.123Z", { zone: "utc" });
const later = at.plus({ days: 3, milliseconds: 7 });
const admin = { type: "account", accountId: "acc_admin" } as const;
const ids = { accountId: "acc_1", panelId: "pnl_1" };
const base = { at, actor: admin };
const temporary = { type: "temporary", endsAt: later } as const;

/** One event of every type: the compiler asks for each new one. */
const EXAMPLES: { readonly [K in DomainEventType]: Extract<DomainEvent, { type: K }> } = {
  "panel.created": { ...base, type: "panel.created", panelId: "pnl_1" },
  "account.created": { ...base, type: "account.created", accountId: "acc_1" },
  "invitation.sent": {
    ...base,
    type: "invitation.sent",
    ...ids,
    invitationId: "lnk_1",
    expiresAt: later,
  },
  "membership.granted": {
    ...base,
    type: "membership.granted",
    ...ids,
    role: "analyst",
    access: temporary,
  },
  "membership.changed": {
    ...base,
    type: "membership.changed",
    ...ids,
    role: "editor",
    access: { type: "permanent" },
    previousRole: "analyst",
    previousAccess: temporary,
  },
  "membership.removed": { ...base, type: "membership.removed", ...ids },
  "access.restored": { ...base, type: "access.restored", ...ids },
  "account.registered": { ...base, type: "account.registered", accountId: "acc_1" },
  "login.failed": {
    at,
    actor: { type: "anonymous" },
    type: "login.failed",
    accountId: null,
    email: "nobody@example.com",
    reason: "unknownAccount",
  },
  "login.passwordAccepted": {
    ...base,
    type: "login.passwordAccepted",
    accountId: "acc_1",
    challengeId: "lnk_2",
  },
  "login.completed": {
    ...base,
    type: "login.completed",
    accountId: "acc_1",
    sessionId: "ses_1",
    method: "sso",
  },
  "account.locked": { ...base, type: "account.locked", accountId: "acc_1", consecutiveLocks: 2 },
  "account.permanentlyBlocked": {
    ...base,
    type: "account.permanentlyBlocked",
    accountId: "acc_1",
  },
  "account.unblocked": {
    at,
    actor: { type: "operator", operatorId: "support-7" },
    type: "account.unblocked",
    accountId: "acc_1",
  },
  "passwordReset.sent": {
    ...base,
    type: "passwordReset.sent",
    accountId: "acc_1",
    linkId: "lnk_3",
    expiresAt: later,
  },
  "passwordReset.limited": { ...base, type: "passwordReset.limited", accountId: "acc_1" },
  "password.reset": { ...base, type: "password.reset", accountId: "acc_1" },
  "sessions.revoked": {
    ...base,
    type: "sessions.revoked",
    accountId: "acc_1",
    sessionIds: ["ses_1", "ses_2"],
    reason: "passwordReset",
  },
  "twoFactor.enrolled": { ...base, type: "twoFactor.enrolled", accountId: "acc_1" },
  "twoFactor.reset": { ...base, type: "twoFactor.reset", accountId: "acc_1", panelId: null },
  "backupCodes.issued": { ...base, type: "backupCodes.issued", accountId: "acc_1", count: 10 },
  "backupCode.used": { ...base, type: "backupCode.used", accountId: "acc_1", remaining: 9 },
  "rememberedBrowser.created": {
    ...base,
    type: "rememberedBrowser.created",
    accountId: "acc_1",
    browserId: "rb_1",
  },
  "rememberedBrowsers.forgotten": {
    ...base,
    type: "rememberedBrowsers.forgotten",
    accountId: "acc_1",
    browserIds: [],
  },
  "mail.requeued": {
    at,
    actor: { type: "operator", operatorId: "support-1" },
    type: "mail.requeued",
    messageId: "msg_1",
  },
  "mail.failed": {
    at,
    actor: { type: "system" },
    type: "mail.failed",
    kind: "invitation",
    accountId: "acc_1",
    messageId: "msg_1",
    attempts: 8,
    retryAt: null,
    reason: "ECONNECTION",
  },
  "backgroundWork.failed": {
    at,
    actor: { type: "anonymous" },
    type: "backgroundWork.failed",
    operation: "login",
    reason: "STORAGE_FAILED",
    accountId: null,
  },
};

/** Instants compared by their millisecond and zone, everything else as is. */
const comparable = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, function (this: Record<string, unknown>, key) {
      const raw = this[key];
      return DateTime.isDateTime(raw) ? `${raw.toMillis()}@${raw.zoneName}` : raw;
    }),
  );

describe("AUD-2: audit records, the security kinds and the cursor", () => {
  it("AUD-2: every event type is stored as plain JSON and read back as the same event", () => {
    for (const event of Object.values(EXAMPLES)) {
      const record = auditRecordOf(event, "aud_1-0000");
      const json = JSON.parse(JSON.stringify(record.event));
      expect(json).toEqual(record.event);
      expect(comparable(eventOf(json))).toEqual(comparable(event));
    }
    expect(new Set(EVENT_TYPES)).toEqual(new Set(Object.keys(EXAMPLES)));
  });

  it("AUD-2: a record names the account and panel its event is about, or null", () => {
    const granted = auditRecordOf(EXAMPLES["membership.granted"], "x");
    expect(granted).toMatchObject({ at, actor: admin, type: "membership.granted", ...ids });
    expect(auditRecordOf(EXAMPLES["panel.created"], "x")).toMatchObject({
      accountId: null,
      panelId: "pnl_1",
    });
    expect(auditRecordOf(EXAMPLES["login.failed"], "x")).toMatchObject({
      accountId: null,
      panelId: null,
    });
    expect(auditRecordOf(EXAMPLES["twoFactor.reset"], "x").panelId).toBeNull();
  });

  it("AUD-2: a person's security kinds are their logins, locks, resets, 2FA, browsers and sessions, not administration", () => {
    expect([...SECURITY_EVENT_TYPES].sort()).toEqual(
      [
        "account.registered",
        "login.failed",
        "login.passwordAccepted",
        "login.completed",
        "account.locked",
        "account.permanentlyBlocked",
        "account.unblocked",
        "passwordReset.sent",
        "passwordReset.limited",
        "password.reset",
        "sessions.revoked",
        "twoFactor.enrolled",
        "twoFactor.reset",
        "backupCodes.issued",
        "backupCode.used",
        "rememberedBrowser.created",
        "rememberedBrowsers.forgotten",
      ].sort(),
    );
  });

  it("AUD-2: the events of one unit of work sort newest first in the reverse of the order they were recorded", () => {
    const stem = "AbCdEfGhIjKlMnOpQrStUv";
    const events = Array.from({ length: 12 }, (_, i) => ({ at, id: auditEventId(stem, i) }));
    expect([...events].sort(newestFirst).map((e) => e.id)).toEqual(
      [...events].reverse().map((e) => e.id),
    );
    expect(newestFirst({ at: later, id: "a" }, { at, id: "z" })).toBeLessThan(0);
  });

  it("AUD-2: a cursor round-trips its position, and anything else is no cursor", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 253_402_300_799_999 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
        (millis, id) => {
          const position = { at: DateTime.fromMillis(millis, { zone: "utc" }), id };
          const decoded = decodeCursor(encodeCursor(position));
          expect(decoded?.at.toMillis()).toBe(millis);
          expect(decoded?.id).toBe(id);
        },
      ),
    );
    const valid = encodeCursor({ at, id: "aud_1-0000" });
    for (const bad of ["", "x", `${valid}=`, `${valid}!`, ` ${valid}`, "LjE"]) {
      expect(decodeCursor(bad), bad).toBeNull();
    }
    const text = (s: string) => Buffer.from(s).toString("base64url");
    for (const bad of ["1.", ".id", "x.id", "1.5.a b", "1e3.id", `1.${"a".repeat(65)}`]) {
      expect(decodeCursor(text(bad)), bad).toBeNull();
    }
  });

  it("INP-1, AUD-2: a cursor naming an instant before the year 1 or after 9999 is no cursor (no database could store it)", () => {
    for (const millis of [-8_640_000_000_000_000, -62_135_596_800_001, 253_402_300_800_000]) {
      expect(
        decodeCursor(Buffer.from(`${millis}.x`).toString("base64url")),
        `${millis}`,
      ).toBeNull();
    }
    const yearOne = DateTime.fromISO("0001-01-01T00:00:00Z", { zone: "utc" }).toMillis();
    expect(
      decodeCursor(encodeCursor({ at: DateTime.fromMillis(yearOne, { zone: "utc" }), id: "x" })),
    ).not.toBeNull();
  });

  it("AUD-2: a page holds `limit` records and a cursor only when one more was read", () => {
    const records = Object.values(EXAMPLES)
      .slice(0, 4)
      .map((event, i) => auditRecordOf(event, `aud_${i}`));
    expect(pageOf(records.slice(0, 3), 3)).toEqual({
      events: records.slice(0, 3),
      nextCursor: null,
    });
    const page = pageOf(records, 3);
    expect(page.events).toEqual(records.slice(0, 3));
    expect(decodeCursor(page.nextCursor ?? "")?.id).toBe("aud_2");
    expect(pageOf([], 3)).toEqual({ events: [], nextCursor: null });
  });
});
