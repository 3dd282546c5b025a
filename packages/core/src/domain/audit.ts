import { DateTime } from "luxon";
import type { DomainEvent, DomainEventType, EventActor } from "./events.js";
import { isStorableInstant } from "./time.js";

/** A value as JSON holds it: every instant an ISO-8601 string in UTC. */
export type Serialised<T> = T extends DateTime
  ? string
  : T extends readonly (infer U)[]
    ? readonly Serialised<U>[]
    : T extends object
      ? { readonly [K in keyof T]: Serialised<T[K]> }
      : T;

/** A domain event as the audit trail stores it: plain JSON, no secret (AUD-1). */
export type StoredEvent = Serialised<DomainEvent>;

/**
 * AUD-2: one domain event in the store's audit trail, written in the unit of
 * work of the change it records. `at`, `type` and `actor` repeat the event's
 * own; `accountId` and `panelId` are what the listings filter on.
 */
export interface AuditEventRecord {
  /** Unique; among events of one instant, the later-recorded has the greater id. */
  readonly id: string;
  readonly at: DateTime;
  readonly type: DomainEventType;
  readonly actor: EventActor;
  /** The account the event is about; `null` when none (a panel created, a login for an unknown e-mail). */
  readonly accountId: string | null;
  /** The panel the event is about; `null` when none. */
  readonly panelId: string | null;
  readonly event: StoredEvent;
}

/** AUD-2: how long audit events are kept when nothing else is said (`audit.keepFor`, a cleanup's `keepAuditEventsFor`). */
export const AUDIT_RETENTION = { days: 365 } as const;

/**
 * AUD-2: how long a failed login for an e-mail no account has is kept when
 * nothing else is said (a cleanup's `keepFailedLoginsWithoutAccountFor`):
 * it holds the address as typed, of someone who may have no relation to
 * the host, so it goes long before the rest of the trail (docs/audit.md).
 */
export const FAILED_LOGIN_WITHOUT_ACCOUNT_RETENTION = { days: 30 } as const;

/** A place in the audit trail's order, newest first by (`at`, `id`). */
export interface AuditPosition {
  readonly at: DateTime;
  readonly id: string;
}

/**
 * AUD-2: which events are a person's own security activity (logins, locks,
 * blocks, password resets, 2FA, remembered browsers, sessions). Written as a
 * map over every type, so the compiler asks about each new one.
 */
const SECURITY_EVENT: { readonly [K in DomainEventType]: boolean } = {
  "panel.created": false,
  "account.created": false,
  "invitation.sent": false,
  "membership.granted": false,
  "membership.changed": false,
  "membership.removed": false,
  "access.restored": false,
  // The password was first set.
  "account.registered": true,
  "login.failed": true,
  // The password was right: with no `login.completed` after it, someone else may know it.
  "login.passwordAccepted": true,
  "login.completed": true,
  "account.locked": true,
  "account.permanentlyBlocked": true,
  "account.unblocked": true,
  "passwordReset.sent": true,
  "passwordReset.limited": true,
  "password.reset": true,
  "sessions.revoked": true,
  "twoFactor.enrolled": true,
  "twoFactor.reset": true,
  "backupCodes.issued": true,
  "backupCode.used": true,
  "rememberedBrowser.created": true,
  "rememberedBrowsers.forgotten": true,
  // The support team re-queued a failed message: stored, for operators (listAllActivity).
  "mail.requeued": false,
  // Operational: reported to the event sink only, never stored (docs/audit.md).
  "mail.failed": false,
  "backgroundWork.failed": false,
};

/** Every domain event type (AUD-1). */
export const EVENT_TYPES = Object.keys(SECURITY_EVENT) as readonly DomainEventType[];

/** AUD-2: the types a person sees of their own account (`listSecurityActivity`). */
export const SECURITY_EVENT_TYPES: readonly DomainEventType[] = EVENT_TYPES.filter(
  (type) => SECURITY_EVENT[type],
);

/**
 * The id of the `index`-th event of a unit of work whose events share the
 * random `stem`: they all happen at one instant, and the suffix keeps them in
 * the order they were recorded when the trail is sorted by (`at`, `id`).
 */
export function auditEventId(stem: string, index: number): string {
  return `${stem}-${String(index).padStart(4, "0")}`;
}

/** The record that stores `event` under `id`. */
export function auditRecordOf(event: DomainEvent, id: string): AuditEventRecord {
  return {
    id,
    at: event.at,
    type: event.type,
    actor: event.actor,
    accountId: "accountId" in event ? event.accountId : null,
    panelId: "panelId" in event ? event.panelId : null,
    event: serialise(event) as StoredEvent,
  };
}

/** The fields of a stored event that hold instants (`at`, `expiresAt`, `retryAt`, `access.endsAt`). */
const INSTANT_KEYS = new Set(["at", "expiresAt", "retryAt", "endsAt"]);

function serialise(value: unknown): unknown {
  if (DateTime.isDateTime(value)) return value.toUTC().toISO();
  if (Array.isArray(value)) return value.map(serialise);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serialise(v)]));
  return value;
}

function revive(value: unknown, key: string | null): unknown {
  if (typeof value === "string" && key !== null && INSTANT_KEYS.has(key))
    return DateTime.fromISO(value, { zone: "utc" });
  if (Array.isArray(value)) return value.map((v) => revive(v, null));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v, k)]));
  return value;
}

/** The domain event a stored one holds, its instants as luxon `DateTime`s (UTC). */
export function eventOf(stored: StoredEvent): DomainEvent {
  return revive(stored, null) as DomainEvent;
}

/** An id as the core makes them (base64url, plus the audit suffix). */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** AUD-2: the opaque cursor of the page after `position`: base64url of its instant (ms) and id. */
export function encodeCursor(position: AuditPosition): string {
  return Buffer.from(`${position.at.toMillis()}.${position.id}`, "utf8").toString("base64url");
}

/** The position a cursor names, or `null` when it is not one `encodeCursor` made. */
export function decodeCursor(cursor: string): AuditPosition | null {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const dot = text.indexOf(".");
  const millis = Number(text.slice(0, dot));
  const id = text.slice(dot + 1);
  if (dot < 1 || !Number.isSafeInteger(millis) || !ID.test(id)) return null;
  const at = DateTime.fromMillis(millis, { zone: "utc" });
  const position = { at, id };
  // Decoding is lenient (padding, stray characters): only the canonical form is a cursor.
  return isStorableInstant(at) && encodeCursor(position) === cursor ? position : null;
}

/** One page of the audit trail, newest first. */
export interface Page<T> {
  readonly events: T[];
  /** Pass it as `cursor` for the next, older page; `null` when this is the last. */
  readonly nextCursor: string | null;
}

/**
 * The page out of up to `limit + 1` records read newest first: the extra one
 * only says whether another page follows.
 */
export function pageOf(
  records: readonly AuditEventRecord[],
  limit: number,
): Page<AuditEventRecord> {
  const events = records.slice(0, limit);
  const last = events.at(-1);
  return {
    events,
    nextCursor: records.length > limit && last !== undefined ? encodeCursor(last) : null,
  };
}

/**
 * The order of the trail, newest first: by `at`, then by `id` in code-unit
 * order (PostgreSQL: `COLLATE "C"`). Negative when `a` comes first.
 */
export function newestFirst(a: AuditPosition, b: AuditPosition): number {
  return b.at.toMillis() - a.at.toMillis() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
