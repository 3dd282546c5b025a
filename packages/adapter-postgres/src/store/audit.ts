import {
  type AuditEventRecord,
  type AuditQuery,
  type AuditTx,
  EVENT_TYPES,
} from "@panel-access/core";
import { AUDIT_COLUMNS, auditFrom, auditParams, param } from "../rows.js";
import { queryRows } from "./query.js";
import type { BatchingClient } from "./write-batch.js";

/** The newest-first order of the trail; `id` compares in "C" order (its column's collation). */
const NEWEST_FIRST = "ORDER BY at DESC, id DESC";

/**
 * The `SELECT` of a listing, and its parameters (`$1`…). One branch per
 * kind: the kinds of `types`, or every kind there is (`EVENT_TYPES`) when
 * the listing names none. Each branch is one range of the index by
 * (panel | account, type, at) or (type, at), read newest first and
 * limited; a `UNION ALL` merges them, which the planner runs as a Merge
 * Append: a page reads at most `limit` rows per kind, however rare the
 * kind. There are no indexes by (panel | account, at) or (at) alone: every
 * audit INSERT would pay for three more index entries
 * (migrations/006_audit_by_type.ts). Exact as long as every stored event has
 * a kind of `EVENT_TYPES`, as the core only writes those.
 */
export function listingSql(schema: string, query: AuditQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const { panelId, accountId, from, to, after, limit } = query;
  const conditions = [
    panelId !== undefined && `panel_id = ${p(panelId)}`,
    accountId !== undefined && `account_id = ${p(accountId)}`,
    from !== undefined && `at >= ${p(param(from))}`,
    to !== undefined && `at < ${p(param(to))}`,
    // Older than the cursor in the (at DESC, id DESC) order: a row comparison, one index range.
    after !== undefined && `(at, id) < (${p(param(after.at))}, ${p(after.id)})`,
  ].filter((condition): condition is string => condition !== false);
  const limitParam = p(limit);
  const select = (type: string) => {
    const where = [...conditions, `type = ${p(type)}`].join(" AND ");
    return `SELECT ${AUDIT_COLUMNS} FROM ${schema}.audit_events WHERE ${where} ${NEWEST_FIRST} LIMIT ${limitParam}`;
  };
  // A kind named twice is one branch: its events are listed once.
  const branches = [...new Set(query.types ?? EVENT_TYPES)].map(select);
  if (branches.length <= 1) return { sql: branches[0] ?? "", params };
  const union = branches.map((branch) => `(${branch})`).join(" UNION ALL ");
  return {
    sql: `SELECT ${AUDIT_COLUMNS} FROM (${union}) AS page ${NEWEST_FIRST} LIMIT ${limitParam}`,
    params,
  };
}

/**
 * The audit trail, in `schema`.audit_events (AUD-2): one multi-row INSERT
 * per unit of work; listings newest first, one index range per kind
 * merged, by panel, by account or over the whole trail (`listingSql`).
 */
export function auditTx(client: BatchingClient, schema: string): AuditTx {
  return {
    async appendAuditEvents(records: readonly AuditEventRecord[]): Promise<void> {
      if (records.length === 0) return;
      const width = 7;
      const rows = records.map((_, row) => {
        const n = (column: number) => `$${row * width + column}`;
        return `(${n(1)}, ${n(2)}, ${n(3)}, ${n(4)}::jsonb, ${n(5)}, ${n(6)}, ${n(7)}::jsonb)`;
      });
      client.defer(
        `INSERT INTO ${schema}.audit_events (${AUDIT_COLUMNS}) VALUES ${rows.join(", ")}`,
        records.flatMap(auditParams),
      );
    },

    async listAuditEvents(query: AuditQuery): Promise<AuditEventRecord[]> {
      // An empty list of kinds matches nothing.
      if (query.types?.length === 0) return [];
      const { sql, params } = listingSql(schema, query);
      // Its text varies with the filters a caller picks: never prepared by name.
      return (await queryRows(client, sql, params, { prepare: false })).map(auditFrom);
    },
  };
}
