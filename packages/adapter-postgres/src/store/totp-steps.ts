import type { TotpStepsTx } from "@panel-access/core";
import type { SqlClient } from "../driver.js";
import { queryRows } from "./query.js";

/**
 * The last accepted TOTP step per account, in `schema`.totp_steps (TFA-10).
 * Accepting is one statement: `INSERT … ON CONFLICT DO UPDATE … WHERE last_step < EXCLUDED.last_step`.
 */
export function totpStepsTx(client: SqlClient, schema: string): TotpStepsTx {
  return {
    async acceptTotpStep(accountId: string, step: number): Promise<boolean> {
      const rows = await queryRows(
        client,
        `INSERT INTO ${schema}.totp_steps (account_id, last_step) VALUES ($1, $2)
       ON CONFLICT (account_id) DO UPDATE SET last_step = EXCLUDED.last_step
       WHERE ${schema}.totp_steps.last_step < EXCLUDED.last_step
       RETURNING account_id`,
        [accountId, step],
      );
      return rows.length === 1;
    },

    async forgetTotpSteps(accountId: string): Promise<void> {
      await client.query(`DELETE FROM ${schema}.totp_steps WHERE account_id = $1`, [accountId]);
    },
  };
}
