import type { BackupCodeRecord, BackupCodesTx } from "@panel-access/core";
import type { DateTime } from "luxon";
import type { SqlClient } from "../driver.js";
import { param } from "../rows.js";
import { queryRows } from "./query.js";

/**
 * Backup codes, as hashes, in `schema`.backup_codes (TFA-5, TFA-6). Using one
 * is one statement whose `WHERE used_at IS NULL` is the guard.
 */
export function backupCodesTx(client: SqlClient, schema: string): BackupCodesTx {
  return {
    async replaceBackupCodes(accountId: string, codes: readonly BackupCodeRecord[]): Promise<void> {
      await client.query(`DELETE FROM ${schema}.backup_codes WHERE account_id = $1`, [accountId]);
      if (codes.some((code) => code.accountId !== accountId))
        throw new Error("backup code of another account");
      if (codes.length === 0) return;
      await client.query(
        `INSERT INTO ${schema}.backup_codes (account_id, code_hash, created_at, used_at)
       SELECT $1, hash, created, used FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[]) AS c(hash, created, used)`,
        [
          accountId,
          codes.map((code) => code.codeHash),
          codes.map((code) => param(code.createdAt)),
          codes.map((code) => param(code.usedAt)),
        ],
      );
    },

    async consumeBackupCode(accountId: string, codeHash: string, at: DateTime): Promise<boolean> {
      const rows = await queryRows(
        client,
        `UPDATE ${schema}.backup_codes SET used_at = $3
       WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING code_hash`,
        [accountId, codeHash, param(at)],
      );
      return rows.length === 1;
    },

    async countUnusedBackupCodes(accountId: string): Promise<number> {
      const [row] = await queryRows(
        client,
        `SELECT count(*)::int AS unused FROM ${schema}.backup_codes WHERE account_id = $1 AND used_at IS NULL`,
        [accountId],
      );
      return Number(row?.unused ?? 0);
    },
  };
}
