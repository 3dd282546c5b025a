import {
  type AccountRecord,
  type AuditEventRecord,
  type BackupCodeRecord,
  type DomainEventType,
  type LinkPurpose,
  type MembershipRecord,
  newestFirst,
  type OneTimeLinkRecord,
  type OutboxMessageRecord,
  type PanelRecord,
  type RememberedBrowserRecord,
  type SessionRecord,
} from "@panel-access/core";
import { Table } from "../table.js";

/**
 * The key of the audit trail's sorted list a listing reads: a panel's
 * events, else an account's, else all; with `type`, those of that kind.
 */
export function auditListKey(
  scope: { readonly panelId?: string; readonly accountId?: string },
  type?: DomainEventType,
): string {
  const key =
    scope.panelId !== undefined
      ? `panel\u0000${scope.panelId}`
      : scope.accountId !== undefined
        ? `account\u0000${scope.accountId}`
        : "all";
  return type === undefined ? key : `${key}\u0000${type}`;
}

/** The key of the links index: one account's links of one purpose. */
export const linkKey = (accountId: string, purpose: LinkPurpose) => `${accountId}\u0000${purpose}`;

/** The committed state, with the indexes every lookup of the port uses. */
export class Tables {
  readonly accounts = new Table<AccountRecord>({ email: (account) => account.email });
  readonly panels = new Table<PanelRecord>();
  readonly memberships = new Table<MembershipRecord>({
    account: (membership) => membership.accountId,
    panel: (membership) => membership.panelId,
  });
  readonly links = new Table<OneTimeLinkRecord>({
    accountPurpose: (link) => linkKey(link.accountId, link.purpose),
  });
  readonly sessions = new Table<SessionRecord>({ account: (session) => session.accountId });
  /** Keyed by account id and code hash. */
  readonly backupCodes = new Table<BackupCodeRecord>({ account: (code) => code.accountId });
  readonly rememberedBrowsers = new Table<RememberedBrowserRecord>({
    account: (browser) => browser.accountId,
  });
  /** The last accepted TOTP step per account id. */
  readonly totpSteps = new Table<{ step: number }>();
  /** The outbox (MAIL-2). */
  readonly mail = new Table<OutboxMessageRecord>({ status: (message) => message.status });
  /**
   * The audit trail (AUD-2), in sorted lists oldest to newest (a page reads
   * back from its start and sorts nothing): every event, a panel's and an
   * account's, and each of those by kind (`auditListKey`), as PostgreSQL's
   * indexes by (at, id), (panel_id, [type,] at, id), (account_id, [type,]
   * at, id) and (type, at, id).
   */
  readonly auditEvents = new Table<AuditEventRecord>(
    {},
    {
      keysOf: (event) =>
        [
          {},
          ...(event.panelId === null ? [] : [{ panelId: event.panelId }]),
          ...(event.accountId === null ? [] : [{ accountId: event.accountId }]),
        ].flatMap((scope) => [auditListKey(scope), auditListKey(scope, event.type)]),
      compare: (a, b) => newestFirst(b, a),
    },
  );
}
