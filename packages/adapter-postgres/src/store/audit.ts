import type { AuditEventRecord, AuditQuery, AuditTx } from "@panel-access/core";
import type { SqlClient } from "../driver.js";
import { AUDIT_COLUMNS, auditFrom, auditParams, param } from "../rows.js";
import { queryRows } from "./query.js";

/** The `WHERE` of a listing: one condition per filter given, and their parameters (`$1`…). */
function whereOf(query: AuditQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const { panelId, accountId, from, to, types, after } = query;
  const conditions = [
    panelId !== undefined && `panel_id = ${p(panelId)}`,
    accountId !== undefined && `account_id = ${p(accountId)}`,
    from !== undefined && `at >= ${p(param(from))}`,
    to !== undefined && `at < ${p(param(to))}`,
    types !== undefined && `type = ANY(${p([...types])}::text[])`,
    // Older than the cursor in the (at DESC, id DESC) order: a row comparison, one index range.
    after !== undefined && `(at, id) < (${p(param(after.at))}, ${p(after.id)})`,
  ].filter((condition): condition is string => condition !== false);
  return { sql: conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`, params };
}

/**
 * The audit trail, in `schema`.audit_events (AUD-2): one multi-row INSERT
 * per unit of work; listings newest first over the indexes by panel, by
 * account and by time.
 */
export function auditTx(client: SqlClient, schema: string): AuditTx {
  return {
    async appendAuditEvents(records: readonly AuditEventRecord[]): Promise<void> {
      if (records.length === 0) return;
      const width = 7;
      const rows = records.map((_, row) => {
        const n = (column: number) => `$${row * width + column}`;
        return `(${n(1)}, ${n(2)}, ${n(3)}, ${n(4)}::jsonb, ${n(5)}, ${n(6)}, ${n(7)}::jsonb)`;
      });
      await client.query(
        `INSERT INTO ${schema}.audit_events (${AUDIT_COLUMNS}) VALUES ${rows.join(", ")}`,
        records.flatMap(auditParams),
      );
    },

    async listAuditEvents(query: AuditQuery): Promise<AuditEventRecord[]> {
      const where = whereOf(query);
      const rows = await queryRows(
        client,
        `SELECT ${AUDIT_COLUMNS} FROM ${schema}.audit_events ${where.sql}
         ORDER BY at DESC, id DESC LIMIT $${where.params.length + 1}`,
        [...where.params, query.limit],
      );
      return rows.map(auditFrom);
    },
  };
}
