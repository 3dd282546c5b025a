import type {
  MailClaim,
  MailOutboxTx,
  MailOutcome,
  OutboxMessageRecord,
  OutboxStatus,
} from "@panel-access/core";
import type { DateTime } from "luxon";
import type { SqlClient } from "../driver.js";
import { MAIL_COLUMNS, mailFrom, mailParams, param } from "../rows.js";
import { queryRows } from "./query.js";

/**
 * The outbox, in `schema`.mail_outbox (MAIL-2). `claimMail` is the queue
 * pattern `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`;
 * `settleMail` is guarded by the claim id.
 */
export function mailOutboxTx(client: SqlClient, schema: string): MailOutboxTx {
  return {
    async enqueueMail(message: OutboxMessageRecord): Promise<void> {
      await queryRows(
        client,
        `INSERT INTO ${schema}.mail_outbox (${MAIL_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        mailParams(message),
      );
    },

    async claimMail(claim: MailClaim): Promise<OutboxMessageRecord[]> {
      const rows = await queryRows(
        client,
        `UPDATE ${schema}.mail_outbox SET claimed_until = $2, claim_id = $3
       WHERE id IN (
         SELECT id FROM ${schema}.mail_outbox
         WHERE status = 'pending' AND next_attempt_at <= $1
           AND (claimed_until IS NULL OR claimed_until <= $1)
           AND ($5::text[] IS NULL OR id = ANY($5::text[]))
         ORDER BY created_at, id
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING ${MAIL_COLUMNS}`,
        [param(claim.now), param(claim.until), claim.claimId, claim.limit, claim.ids ?? null],
      );
      return rows
        .map(mailFrom)
        .sort(
          (first, second) =>
            first.createdAt.toMillis() - second.createdAt.toMillis() ||
            first.id.localeCompare(second.id),
        );
    },

    async settleMail(id: string, claimId: string, outcome: MailOutcome): Promise<boolean> {
      const rows =
        outcome.status === "sent"
          ? await queryRows(
              client,
              `UPDATE ${schema}.mail_outbox
             SET status = 'sent', sent_at = $3, payload = NULL, attempts = attempts + 1,
                 claimed_until = NULL, claim_id = NULL
             WHERE id = $1 AND claim_id = $2 AND status = 'pending' RETURNING id`,
              [id, claimId, param(outcome.at)],
            )
          : await queryRows(
              client,
              `UPDATE ${schema}.mail_outbox
             SET status = $3, attempts = $4, next_attempt_at = $5, last_error = $6,
                 claimed_until = NULL, claim_id = NULL
             WHERE id = $1 AND claim_id = $2 AND status = 'pending' RETURNING id`,
              [
                id,
                claimId,
                outcome.status,
                outcome.attempts,
                param(outcome.nextAttemptAt),
                outcome.lastError,
              ],
            );
      return rows.length === 1;
    },

    async requeueMail(id: string, at: DateTime): Promise<boolean> {
      const rows = await queryRows(
        client,
        `UPDATE ${schema}.mail_outbox SET status = 'pending', attempts = 0, next_attempt_at = $2
       WHERE id = $1 AND status = 'failed' RETURNING id`,
        [id, param(at)],
      );
      return rows.length === 1;
    },

    async listMail(status: OutboxStatus, limit: number): Promise<OutboxMessageRecord[]> {
      const rows = await queryRows(
        client,
        `SELECT ${MAIL_COLUMNS} FROM ${schema}.mail_outbox WHERE status = $1
       ORDER BY created_at, id LIMIT $2`,
        [status, limit],
      );
      return rows.map(mailFrom);
    },
  };
}
