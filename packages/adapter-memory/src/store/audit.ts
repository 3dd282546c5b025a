import {
  type AuditEventRecord,
  type AuditQuery,
  type AuditTx,
  newestFirst,
} from "@panel-access/core";
import { MemoryConstraintError } from "./constraint-error.js";
import { auditListKey } from "./tables.js";
import type { UnitOfWork } from "./unit-of-work.js";

/** Whether `event` passes every filter of `query` but the limit. */
function matches(event: AuditEventRecord, query: AuditQuery): boolean {
  const at = event.at.toMillis();
  return (
    (query.panelId === undefined || event.panelId === query.panelId) &&
    (query.accountId === undefined || event.accountId === query.accountId) &&
    (query.from === undefined || at >= query.from.toMillis()) &&
    (query.to === undefined || at < query.to.toMillis()) &&
    (query.types === undefined || query.types.includes(event.type)) &&
    (query.after === undefined || newestFirst(query.after, event) < 0)
  );
}

/** Whether `event` is at or past where a page starts: before `to`, and after the cursor. */
function withinStart(event: AuditEventRecord, query: AuditQuery): boolean {
  return (
    (query.to === undefined || event.at.toMillis() < query.to.toMillis()) &&
    (query.after === undefined || newestFirst(query.after, event) < 0)
  );
}

/**
 * The first `query.limit` matching events of one sorted list, newest first:
 * read back from where the page starts, up to `from`.
 */
function pageOf(unit: UnitOfWork, key: string, query: AuditQuery): AuditEventRecord[] {
  const page: AuditEventRecord[] = [];
  const from = query.from?.toMillis();
  for (const event of unit.auditEvents.descending(key, (e) => withinStart(e, query))) {
    if (page.length === query.limit || (from !== undefined && event.at.toMillis() < from)) break;
    if (matches(event, query)) page.push(event);
  }
  return page;
}

/**
 * The audit trail (AUD-2): appended inside the unit of work, so a rollback
 * drops its events. A listing reads the sorted list of its panel, account
 * or the whole trail, one per kind when `types` is given, each from where
 * the page starts (a binary search), and merges at most `limit` events of
 * each: no page sorts the trail.
 */
export function auditTx(unit: UnitOfWork): AuditTx {
  return {
    async appendAuditEvents(records: readonly AuditEventRecord[]): Promise<void> {
      const ids = new Set(records.map((record) => record.id));
      if (ids.size < records.length || records.some((record) => unit.auditEvents.has(record.id)))
        throw new MemoryConstraintError("audit event id already exists");
      for (const record of records) unit.auditEvents.set(record.id, record);
    },

    async listAuditEvents(query: AuditQuery): Promise<AuditEventRecord[]> {
      const keys =
        query.types === undefined
          ? [auditListKey(query)]
          : [...new Set(query.types)].map((type) => auditListKey(query, type));
      const pages = keys.map((key) => pageOf(unit, key, query));
      if (pages.length === 1) return pages[0] ?? [];
      return pages.flat().sort(newestFirst).slice(0, query.limit);
    },
  };
}
