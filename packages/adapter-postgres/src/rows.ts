import type {
  AccountRecord,
  AuditEventRecord,
  MembershipRecord,
  OneTimeLinkRecord,
  OutboxMessageRecord,
  PanelRecord,
  RememberedBrowserRecord,
  SessionRecord,
} from "@panel-access/core";
import { DateTime } from "luxon";

/** A row as the driver returns it: timestamps as JS `Date`s. */
type Row = Record<string, unknown>;

const UTC = { zone: "utc" } as const;

/**
 * A timestamp column: a `Date`, or an ISO 8601 string with its offset inside
 * JSON (`json_agg`), read with `Date.parse` (luxon's `fromISO` is several
 * times slower, and these strings are always complete ISO instants).
 */
const at = (value: unknown): DateTime =>
  DateTime.fromMillis(
    typeof value === "string" ? Date.parse(value) : (value as Date).getTime(),
    UTC,
  );
const atOrNull = (value: unknown): DateTime | null =>
  value === null || value === undefined ? null : at(value);
const text = (value: unknown): string => value as string;
const textOrNull = (value: unknown): string | null => (value ?? null) as string | null;

/** A luxon instant as a parameter (`null` stays `null`). */
export const param = (value: DateTime | null): Date | null => value?.toJSDate() ?? null;

export function accountFrom(r: Row): AccountRecord {
  const status = textOrNull(r.two_factor_status);
  return {
    id: text(r.id),
    email: text(r.email),
    createdAt: at(r.created_at),
    passwordHash: textOrNull(r.password_hash),
    registeredAt: atOrNull(r.registered_at),
    lockout: {
      consecutiveFailures: Number(r.consecutive_failures),
      consecutiveLocks: Number(r.consecutive_locks),
      lockedAt: atOrNull(r.locked_at),
      blockedAt: atOrNull(r.blocked_at),
    },
    twoFactor:
      status === "pending"
        ? { status, sealedSecret: text(r.sealed_secret), createdAt: at(r.two_factor_since) }
        : status === "enrolled"
          ? { status, sealedSecret: text(r.sealed_secret), enrolledAt: at(r.two_factor_since) }
          : null,
  };
}

/** The account's columns in table order, for INSERT and UPDATE. */
export function accountParams(a: AccountRecord): unknown[] {
  const since =
    a.twoFactor === null
      ? null
      : a.twoFactor.status === "pending"
        ? a.twoFactor.createdAt
        : a.twoFactor.enrolledAt;
  return [
    a.id,
    a.email,
    param(a.createdAt),
    a.passwordHash,
    param(a.registeredAt),
    a.lockout.consecutiveFailures,
    a.lockout.consecutiveLocks,
    param(a.lockout.lockedAt),
    param(a.lockout.blockedAt),
    a.twoFactor?.status ?? null,
    a.twoFactor?.sealedSecret ?? null,
    param(since),
  ];
}

export const panelFrom = (r: Row): PanelRecord => ({
  id: text(r.id),
  name: text(r.name),
  settings: { ssoEnabled: Boolean(r.sso_enabled) },
  createdAt: at(r.created_at),
});

export const membershipFrom = (r: Row): MembershipRecord => ({
  accountId: text(r.account_id),
  panelId: text(r.panel_id),
  role: text(r.role),
  access:
    r.access_type === "temporary"
      ? { type: "temporary", endsAt: at(r.ends_at) }
      : { type: "permanent" },
  grantedAt: at(r.granted_at),
  updatedAt: at(r.updated_at),
});

export const linkFrom = (r: Row): OneTimeLinkRecord => ({
  id: text(r.id),
  accountId: text(r.account_id),
  purpose: text(r.purpose) as OneTimeLinkRecord["purpose"],
  sequence: Number(r.sequence),
  secretHash: text(r.secret_hash),
  panelId: textOrNull(r.panel_id),
  issuedAt: at(r.issued_at),
  expiresAt: at(r.expires_at),
  consumedAt: atOrNull(r.consumed_at),
});

export const sessionFrom = (r: Row): SessionRecord => ({
  id: text(r.id),
  accountId: text(r.account_id),
  secretHash: text(r.secret_hash),
  method: text(r.method) as SessionRecord["method"],
  createdAt: at(r.created_at),
  lastUsedAt: at(r.last_used_at),
  expiresAt: at(r.expires_at),
});

export const browserFrom = (r: Row): RememberedBrowserRecord => ({
  id: text(r.id),
  accountId: text(r.account_id),
  secretHash: text(r.secret_hash),
  label: textOrNull(r.label),
  createdAt: at(r.created_at),
  lastUsedAt: at(r.last_used_at),
  expiresAt: at(r.expires_at),
});

export const MAIL_COLUMNS =
  "id, kind, account_id, payload, status, attempts, created_at, next_attempt_at, claimed_until, " +
  "claim_id, sent_at, last_error";

export function mailFrom(r: Row): OutboxMessageRecord {
  return {
    id: text(r.id),
    kind: text(r.kind) as OutboxMessageRecord["kind"],
    accountId: text(r.account_id),
    payload: textOrNull(r.payload),
    status: text(r.status) as OutboxMessageRecord["status"],
    attempts: Number(r.attempts),
    createdAt: at(r.created_at),
    nextAttemptAt: at(r.next_attempt_at),
    claimedUntil: atOrNull(r.claimed_until),
    claimId: textOrNull(r.claim_id),
    sentAt: atOrNull(r.sent_at),
    lastError: textOrNull(r.last_error),
  };
}

/** The message's columns in `MAIL_COLUMNS` order. */
export function mailParams(m: OutboxMessageRecord): unknown[] {
  return [
    m.id,
    m.kind,
    m.accountId,
    m.payload,
    m.status,
    m.attempts,
    param(m.createdAt),
    param(m.nextAttemptAt),
    param(m.claimedUntil),
    m.claimId,
    param(m.sentAt),
    m.lastError,
  ];
}

export const AUDIT_COLUMNS = "id, at, type, actor, account_id, panel_id, event";

export const auditFrom = (r: Row): AuditEventRecord => ({
  id: text(r.id),
  at: at(r.at),
  type: text(r.type) as AuditEventRecord["type"],
  actor: r.actor as AuditEventRecord["actor"],
  accountId: textOrNull(r.account_id),
  panelId: textOrNull(r.panel_id),
  event: r.event as AuditEventRecord["event"],
});

/** The event's columns in `AUDIT_COLUMNS` order; JSON as text, for `$n::jsonb`. */
export const auditParams = (e: AuditEventRecord): unknown[] => [
  e.id,
  param(e.at),
  e.type,
  JSON.stringify(e.actor),
  e.accountId,
  e.panelId,
  JSON.stringify(e.event),
];
