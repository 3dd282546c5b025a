import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { type AccountRecord, NO_LOCKOUT } from "../domain/account.js";
import type { AuditEventRecord } from "../domain/audit.js";
import type { MembershipRecord } from "../domain/membership.js";
import type { OneTimeLinkRecord } from "../domain/one-time-link.js";
import type { OutboxMessageRecord } from "../domain/outbox.js";
import type { PanelRecord } from "../domain/panel.js";
import type { SessionRecord } from "../domain/session.js";
import type { RememberedBrowserRecord } from "../domain/two-factor.js";

/** A fixed instant the contract's records are stamped with. */
export const T0 = DateTime.fromISO("2026-02-02T10:00:00.000Z", { zone: "utc" });

/** A unique id per call, shaped like the core's ids (safe to share one database between runs). */
export function uniqueId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll("-", "")}`;
}

/** An unregistered account record with a unique id and e-mail. */
export function anAccount(overrides: Partial<AccountRecord> = {}): AccountRecord {
  const id = overrides.id ?? uniqueId("acc");
  return {
    id,
    email: `${id.toLowerCase()}@example.com`,
    createdAt: T0,
    passwordHash: null,
    registeredAt: null,
    lockout: NO_LOCKOUT,
    twoFactor: null,
    ...overrides,
  };
}

/** A panel record with a unique id. */
export function aPanel(overrides: Partial<PanelRecord> = {}): PanelRecord {
  return {
    id: uniqueId("pnl"),
    name: "Contract panel",
    settings: { ssoEnabled: false },
    createdAt: T0,
    ...overrides,
  };
}

/** A membership record for the contract's tests (permanent, role `analyst`). */
export function aMembership(
  accountId: string,
  panelId: string,
  overrides: Partial<MembershipRecord> = {},
): MembershipRecord {
  return {
    accountId,
    panelId,
    role: "analyst",
    access: { type: "permanent" },
    grantedAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

/** A one-time link record for the contract's tests (an invitation valid for 7 days from `T0`). */
export function aLink(
  accountId: string,
  overrides: Partial<OneTimeLinkRecord> = {},
): OneTimeLinkRecord {
  return {
    id: uniqueId("lnk"),
    accountId,
    purpose: "invitation",
    sequence: 1,
    secretHash: "ab".repeat(32),
    panelId: null,
    issuedAt: T0,
    expiresAt: T0.plus({ days: 7 }),
    consumedAt: null,
    ...overrides,
  };
}

/** A pending message of the outbox, due at `T0`. Its payload is opaque to the store. */
export function aMessage(
  accountId: string,
  overrides: Partial<OutboxMessageRecord> = {},
): OutboxMessageRecord {
  return {
    id: uniqueId("msg"),
    kind: "invitation",
    accountId,
    payload: "v1.sealed.payload",
    status: "pending",
    attempts: 0,
    createdAt: T0,
    nextAttemptAt: T0,
    claimedUntil: null,
    claimId: null,
    sentAt: null,
    lastError: null,
    ...overrides,
  };
}

/** A local session opened at `T0`, ending 12 hours later. */
export function aSession(accountId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id: uniqueId("ses"),
    accountId,
    secretHash: "cd".repeat(32),
    method: "local",
    createdAt: T0,
    lastUsedAt: T0,
    expiresAt: T0.plus({ hours: 12 }),
    ...overrides,
  };
}

/** A remembered browser (TFA-7) created at `T0`, remembered for 30 days. */
export function aRememberedBrowser(
  accountId: string,
  overrides: Partial<RememberedBrowserRecord> = {},
): RememberedBrowserRecord {
  return {
    id: uniqueId("rb"),
    accountId,
    secretHash: "ef".repeat(32),
    label: null,
    createdAt: T0,
    lastUsedAt: T0,
    expiresAt: T0.plus({ days: 30 }),
    ...overrides,
  };
}

/** An audit event (AUD-2) about `panelId`: a membership granted, `minutes` after `T0` (or `at`). */
export function anAuditEvent(
  panelId: string,
  overrides: Partial<AuditEventRecord> & { readonly minutes?: number } = {},
): AuditEventRecord {
  const { minutes = 0, ...rest } = overrides;
  const at = rest.at ?? T0.plus({ minutes });
  const accountId = "accountId" in rest ? (rest.accountId ?? null) : uniqueId("acc");
  const actor = { type: "operator", operatorId: "support-7" } as const;
  return {
    id: uniqueId("aud"),
    at,
    type: "membership.granted",
    actor,
    accountId,
    panelId,
    event: {
      type: "membership.granted",
      at: at.toISO() ?? "",
      actor,
      accountId: accountId ?? "",
      panelId,
      role: "analyst",
      access: { type: "temporary", endsAt: T0.plus({ days: 3 }).toISO() ?? "" },
    },
    ...rest,
  };
}

/** Records as plain JSON (DateTimes as ISO strings), for comparisons across adapters. */
export function plain<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value));
}
