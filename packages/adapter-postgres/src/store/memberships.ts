import type { MembershipRecord, MembershipsTx } from "@panel-access/core";
import type { SqlClient } from "../driver.js";
import { membershipFrom, param } from "../rows.js";
import { queryRows } from "./query.js";

/** The columns `membershipFrom` reads, in table order. */
const MEMBERSHIP_COLUMNS =
  "account_id, panel_id, role, access_type, ends_at, granted_at, updated_at";

/** Memberships, in `schema`.memberships (one row per account and panel). */
export function membershipsTx(client: SqlClient, schema: string): MembershipsTx {
  return {
    async findMembership(accountId: string, panelId: string): Promise<MembershipRecord | null> {
      const [row] = await queryRows(
        client,
        `SELECT ${MEMBERSHIP_COLUMNS} FROM ${schema}.memberships WHERE account_id = $1 AND panel_id = $2`,
        [accountId, panelId],
      );
      return row ? membershipFrom(row) : null;
    },

    async listMembershipsOfAccount(accountId: string): Promise<MembershipRecord[]> {
      return (
        await queryRows(
          client,
          `SELECT ${MEMBERSHIP_COLUMNS} FROM ${schema}.memberships WHERE account_id = $1`,
          [accountId],
        )
      ).map(membershipFrom);
    },

    async listMembershipsOfPanel(panelId: string): Promise<MembershipRecord[]> {
      return (
        await queryRows(
          client,
          `SELECT ${MEMBERSHIP_COLUMNS} FROM ${schema}.memberships WHERE panel_id = $1`,
          [panelId],
        )
      ).map(membershipFrom);
    },

    async putMembership(membership: MembershipRecord): Promise<void> {
      await client.query(
        `INSERT INTO ${schema}.memberships (${MEMBERSHIP_COLUMNS})
       VALUES ($1,$2,$3,$4,$5,$6,$7)
       ON CONFLICT (account_id, panel_id) DO UPDATE SET role = EXCLUDED.role, access_type = EXCLUDED.access_type,
         ends_at = EXCLUDED.ends_at, granted_at = EXCLUDED.granted_at, updated_at = EXCLUDED.updated_at`,
        [
          membership.accountId,
          membership.panelId,
          membership.role,
          membership.access.type,
          membership.access.type === "temporary" ? param(membership.access.endsAt) : null,
          param(membership.grantedAt),
          param(membership.updatedAt),
        ],
      );
    },

    async deleteMembership(accountId: string, panelId: string): Promise<void> {
      await client.query(
        `DELETE FROM ${schema}.memberships WHERE account_id = $1 AND panel_id = $2`,
        [accountId, panelId],
      );
    },
  };
}
