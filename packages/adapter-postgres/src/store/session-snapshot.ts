import type { SessionSnapshot } from "@panel-access/core";
import { accountFrom, membershipFrom, panelFrom, sessionFrom } from "../rows.js";
import { ACCOUNT_COLUMNS } from "./accounts.js";

/** Runs one statement on its own (no BEGIN or COMMIT) and answers its rows. */
type OneStatement = (sql: string, params: readonly unknown[]) => Promise<{ rows: unknown[] }>;

/** The account's columns qualified by `a.`, so that they do not clash with the session's. */
const QUALIFIED_ACCOUNT_COLUMNS = ACCOUNT_COLUMNS.split(", ")
  .map((column) => `a.${column}`)
  .join(", ");

/**
 * The SQL of `readSession` (SES-3): one statement, so one snapshot. The
 * session's row by primary key, joined to its account's by primary key; the
 * memberships through their (account_id, panel_id) key, each with its panel
 * by primary key, as one JSON array of `{ m, p }` pairs.
 */
export function sessionSnapshotSql(schema: string): string {
  return `SELECT s.id AS session_id, s.secret_hash, s.method, s.created_at AS session_created_at,
       s.last_used_at, s.expires_at, ${QUALIFIED_ACCOUNT_COLUMNS},
       coalesce((SELECT json_agg(json_build_object('m', m, 'p', p))
         FROM ${schema}.memberships m JOIN ${schema}.panels p ON p.id = m.panel_id
         WHERE m.account_id = a.id), '[]'::json) AS reach
     FROM ${schema}.sessions s JOIN ${schema}.accounts a ON a.id = s.account_id
     WHERE s.id = $1`;
}

/** SES-3: the session with this id, its account, memberships and panels, in one statement. */
export async function readSessionSnapshot(
  run: OneStatement,
  sql: string,
  id: string,
): Promise<SessionSnapshot | null> {
  const [row] = (await run(sql, [id])).rows as Record<string, unknown>[];
  if (row === undefined) return null;
  const reach = row.reach as { m: Record<string, unknown>; p: Record<string, unknown> }[];
  return {
    session: sessionFrom({
      id: row.session_id,
      account_id: row.id,
      secret_hash: row.secret_hash,
      method: row.method,
      created_at: row.session_created_at,
      last_used_at: row.last_used_at,
      expires_at: row.expires_at,
    }),
    account: accountFrom(row),
    memberships: reach.map(({ m }) => membershipFrom(m)),
    panels: reach.map(({ p }) => panelFrom(p)),
  };
}
