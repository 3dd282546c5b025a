import type { RememberedBrowserRecord, RememberedBrowsersTx } from "@panel-access/core";
import type { DateTime } from "luxon";
import { browserFrom, param } from "../rows.js";
import { queryRows } from "./query.js";
import type { BatchingClient } from "./write-batch.js";

/** The columns `browserFrom` reads, in table order. */
const BROWSER_COLUMNS = "id, account_id, secret_hash, label, created_at, last_used_at, expires_at";

/** Remembered browsers, in `schema`.remembered_browsers (TFA-7, TFA-13). */
export function rememberedBrowsersTx(client: BatchingClient, schema: string): RememberedBrowsersTx {
  return {
    async createRememberedBrowser(browser: RememberedBrowserRecord): Promise<void> {
      client.defer(
        `INSERT INTO ${schema}.remembered_browsers (${BROWSER_COLUMNS})
       VALUES ($1,$2,$3,$4,$5,$6,$7)`,
        [
          browser.id,
          browser.accountId,
          browser.secretHash,
          browser.label,
          param(browser.createdAt),
          param(browser.lastUsedAt),
          param(browser.expiresAt),
        ],
      );
    },

    async findRememberedBrowser(id: string): Promise<RememberedBrowserRecord | null> {
      const [row] = await queryRows(
        client,
        `SELECT ${BROWSER_COLUMNS} FROM ${schema}.remembered_browsers WHERE id = $1`,
        [id],
      );
      return row ? browserFrom(row) : null;
    },

    async listRememberedBrowsers(accountId: string): Promise<RememberedBrowserRecord[]> {
      return (
        await queryRows(
          client,
          `SELECT ${BROWSER_COLUMNS} FROM ${schema}.remembered_browsers WHERE account_id = $1`,
          [accountId],
        )
      ).map(browserFrom);
    },

    async touchRememberedBrowser(id: string, at: DateTime): Promise<boolean> {
      const rows = await queryRows(
        client,
        `UPDATE ${schema}.remembered_browsers SET last_used_at = $2 WHERE id = $1 RETURNING id`,
        [id, param(at)],
      );
      return rows.length === 1;
    },

    async deleteRememberedBrowser(id: string): Promise<boolean> {
      const rows = await queryRows(
        client,
        `DELETE FROM ${schema}.remembered_browsers WHERE id = $1 RETURNING id`,
        [id],
      );
      return rows.length === 1;
    },

    async deleteRememberedBrowsersOfAccount(accountId: string): Promise<string[]> {
      const rows = await queryRows(
        client,
        `DELETE FROM ${schema}.remembered_browsers WHERE account_id = $1 RETURNING id`,
        [accountId],
      );
      return rows.map((row) => String(row.id));
    },
  };
}
