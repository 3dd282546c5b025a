import type { AccountRecord, AccountsTx, AccountWithMemberships } from "@panel-access/core";
import type { SqlClient } from "../driver.js";
import { accountFrom, accountParams, membershipFrom } from "../rows.js";
import { queryRows } from "./query.js";

export const ACCOUNT_COLUMNS =
  "id, email, created_at, password_hash, registered_at, consecutive_failures, consecutive_locks, " +
  "locked_at, blocked_at, two_factor_status, sealed_secret, two_factor_since";

/** Accounts, in `schema`.accounts; the memberships they are read with, in `schema`.memberships. */
export function accountsTx(client: SqlClient, schema: string): AccountsTx {
  return {
    async findAccountByEmail(email: string): Promise<AccountRecord | null> {
      const [row] = await queryRows(
        client,
        `SELECT ${ACCOUNT_COLUMNS} FROM ${schema}.accounts WHERE email = $1`,
        [email],
      );
      return row ? accountFrom(row) : null;
    },

    async findAccountById(id: string): Promise<AccountRecord | null> {
      const [row] = await queryRows(
        client,
        `SELECT ${ACCOUNT_COLUMNS} FROM ${schema}.accounts WHERE id = $1`,
        [id],
      );
      return row ? accountFrom(row) : null;
    },

    async findAccountWithMemberships(
      key: { readonly id: string } | { readonly email: string },
    ): Promise<AccountWithMemberships | null> {
      const [column, value] = "id" in key ? ["id", key.id] : ["email", key.email];
      const [row] = await queryRows(
        client,
        `SELECT ${ACCOUNT_COLUMNS}, coalesce(
         (SELECT json_agg(m) FROM ${schema}.memberships m WHERE m.account_id = a.id), '[]'::json) AS memberships
       FROM ${schema}.accounts a WHERE a.${column} = $1`,
        [value],
      );
      if (!row) return null;
      return {
        account: accountFrom(row),
        memberships: (row.memberships as Record<string, unknown>[]).map(membershipFrom),
      };
    },

    async findAccountsByIds(ids: readonly string[]): Promise<AccountRecord[]> {
      if (ids.length === 0) return [];
      const rows = await queryRows(
        client,
        `SELECT ${ACCOUNT_COLUMNS} FROM ${schema}.accounts WHERE id = ANY($1::text[])`,
        [[...ids]],
      );
      return rows.map(accountFrom);
    },

    async createAccount(account: AccountRecord): Promise<void> {
      await client.query(
        `INSERT INTO ${schema}.accounts (${ACCOUNT_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
        accountParams(account),
      );
    },

    async updateAccount(account: AccountRecord): Promise<void> {
      const rows = await queryRows(
        client,
        `UPDATE ${schema}.accounts SET created_at = $3, password_hash = $4, registered_at = $5, consecutive_failures = $6,
         consecutive_locks = $7, locked_at = $8, blocked_at = $9, two_factor_status = $10,
         sealed_secret = $11, two_factor_since = $12
       WHERE id = $1 AND email = $2 RETURNING id`,
        accountParams(account),
      );
      if (rows.length !== 1)
        throw new Error("updateAccount: no such account (or its e-mail changed)");
    },
  };
}
