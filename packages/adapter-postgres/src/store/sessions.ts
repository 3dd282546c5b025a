import type { SessionRecord, SessionsTx, SessionTouch } from "@panel-access/core";
import type { DateTime } from "luxon";
import { param, sessionFrom } from "../rows.js";
import { queryRows } from "./query.js";
import type { BatchingClient } from "./write-batch.js";

/** The columns `sessionFrom` reads, in table order. */
const SESSION_COLUMNS = "id, account_id, secret_hash, method, created_at, last_used_at, expires_at";

/** Sessions, in `schema`.sessions. */
export function sessionsTx(client: BatchingClient, schema: string): SessionsTx {
  return {
    async createSession(session: SessionRecord): Promise<void> {
      client.defer(
        `INSERT INTO ${schema}.sessions (${SESSION_COLUMNS})
       VALUES ($1,$2,$3,$4,$5,$6,$7)`,
        [
          session.id,
          session.accountId,
          session.secretHash,
          session.method,
          param(session.createdAt),
          param(session.lastUsedAt),
          param(session.expiresAt),
        ],
      );
    },

    async findSession(id: string): Promise<SessionRecord | null> {
      const [row] = await queryRows(
        client,
        `SELECT ${SESSION_COLUMNS} FROM ${schema}.sessions WHERE id = $1`,
        [id],
      );
      return row ? sessionFrom(row) : null;
    },

    async touchSession(id: string, at: DateTime, ifUsedBy: DateTime): Promise<SessionTouch> {
      // SES-3: the WHERE is the guard. Under READ COMMITTED a concurrent
      // touch waits for this row lock, then finds the guard false; one that
      // waited for a DELETE finds no row.
      const rows = await queryRows(
        client,
        `UPDATE ${schema}.sessions SET last_used_at = $2
         WHERE id = $1 AND last_used_at <= $3 RETURNING id`,
        [id, param(at), param(ifUsedBy)],
      );
      if (rows.length === 1) return "touched";
      // Nothing written: a statement of its own, so that it sees (READ
      // COMMITTED: a fresh snapshot) a DELETE the UPDATE waited for. A CTE
      // would read the UPDATE's snapshot, from before that DELETE committed.
      const present = await queryRows(client, `SELECT 1 FROM ${schema}.sessions WHERE id = $1`, [
        id,
      ]);
      return present.length === 1 ? "alreadyRecent" : "gone";
    },

    async deleteSession(id: string): Promise<boolean> {
      return (
        (await queryRows(client, `DELETE FROM ${schema}.sessions WHERE id = $1 RETURNING id`, [id]))
          .length === 1
      );
    },

    async deleteSessionsOfAccount(accountId: string): Promise<string[]> {
      const rows = await queryRows(
        client,
        `DELETE FROM ${schema}.sessions WHERE account_id = $1 RETURNING id`,
        [accountId],
      );
      return rows.map((row) => String(row.id));
    },
  };
}
