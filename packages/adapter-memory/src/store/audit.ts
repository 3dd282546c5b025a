import {
  type AuditEventRecord,
  type AuditQuery,
  type AuditTx,
  newestFirst,
} from "@panel-access/core";
import type { Overlay } from "../overlay.js";
import { MemoryConstraintError } from "./constraint-error.js";
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

/** The events a query can match at all: one panel's or account's through its index, or every one. */
function candidates(events: Overlay<AuditEventRecord>, query: AuditQuery) {
  if (query.panelId !== undefined) return events.by("panel", query.panelId);
  if (query.accountId !== undefined) return events.by("account", query.accountId);
  return events.all();
}

/** The audit trail (AUD-2): appended inside the unit of work, so a rollback drops its events. */
export function auditTx(unit: UnitOfWork): AuditTx {
  return {
    async appendAuditEvents(records: readonly AuditEventRecord[]): Promise<void> {
      const ids = new Set(records.map((record) => record.id));
      if (ids.size < records.length || records.some((record) => unit.auditEvents.has(record.id)))
        throw new MemoryConstraintError("audit event id already exists");
      for (const record of records) unit.auditEvents.set(record.id, record);
    },

    async listAuditEvents(query: AuditQuery): Promise<AuditEventRecord[]> {
      return [...candidates(unit.auditEvents, query)]
        .filter((event) => matches(event, query))
        .sort(newestFirst)
        .slice(0, query.limit);
    },
  };
}
