import type { LinkPurpose, LinksTx, OneTimeLinkRecord } from "@panel-access/core";
import type { DateTime } from "luxon";
import { linkFrom, param } from "../rows.js";
import { queryRows } from "./query.js";
import type { BatchingClient } from "./write-batch.js";

/** The columns `linkFrom` reads, in table order. */
const LINK_COLUMNS =
  "id, account_id, purpose, sequence, secret_hash, panel_id, issued_at, expires_at, consumed_at";

/**
 * One-time links, in `schema`.links. A consumption is one statement whose
 * `WHERE consumed_at IS NULL` is the guard.
 */
export function linksTx(client: BatchingClient, schema: string): LinksTx {
  return {
    async findLink(id: string): Promise<OneTimeLinkRecord | null> {
      const [row] = await queryRows(
        client,
        `SELECT ${LINK_COLUMNS} FROM ${schema}.links WHERE id = $1`,
        [id],
      );
      return row ? linkFrom(row) : null;
    },

    async findLatestLink(
      accountId: string,
      purpose: LinkPurpose,
    ): Promise<OneTimeLinkRecord | null> {
      const [row] = await queryRows(
        client,
        `SELECT ${LINK_COLUMNS} FROM ${schema}.links WHERE account_id = $1 AND purpose = $2 ORDER BY sequence DESC LIMIT 1`,
        [accountId, purpose],
      );
      return row ? linkFrom(row) : null;
    },

    async countLinksIssuedSince(
      accountId: string,
      purpose: LinkPurpose,
      since: DateTime,
    ): Promise<number> {
      const [row] = await queryRows(
        client,
        `SELECT count(*)::int AS n FROM ${schema}.links WHERE account_id = $1 AND purpose = $2 AND issued_at >= $3`,
        [accountId, purpose, param(since)],
      );
      return Number(row?.n ?? 0);
    },

    async createLink(link: OneTimeLinkRecord): Promise<void> {
      client.defer(
        `INSERT INTO ${schema}.links (${LINK_COLUMNS})
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
        [
          link.id,
          link.accountId,
          link.purpose,
          link.sequence,
          link.secretHash,
          link.panelId,
          param(link.issuedAt),
          param(link.expiresAt),
          param(link.consumedAt),
        ],
      );
    },

    async consumeLink(id: string, at: DateTime): Promise<boolean> {
      const rows = await queryRows(
        client,
        `UPDATE ${schema}.links SET consumed_at = $2 WHERE id = $1 AND consumed_at IS NULL RETURNING id`,
        [id, param(at)],
      );
      return rows.length === 1;
    },

    async consumeOpenLinks(accountId: string, purpose: LinkPurpose, at: DateTime): Promise<number> {
      const rows = await queryRows(
        client,
        `UPDATE ${schema}.links SET consumed_at = $3
       WHERE account_id = $1 AND purpose = $2 AND consumed_at IS NULL RETURNING id`,
        [accountId, purpose, param(at)],
      );
      return rows.length;
    },
  };
}
