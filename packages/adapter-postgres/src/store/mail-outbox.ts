import type {
  MailClaim,
  MailOutboxTx,
  MailOutcome,
  MailSettlement,
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
 * `settleMail` and `settleMails` (one `UPDATE … FROM unnest(…)` for many
 * messages) are guarded by the claim id.
 */
export function mailOutboxTx(client: SqlClient, schema: string): MailOutboxTx {
  /**
   * Every settlement in one statement: the outcomes travel as arrays,
   * `unnest`ed into rows, and each row updates its message only where its
   * claim id still holds it and it is still pending (the same guard as one
   * `settleMail`). The messages' rows are locked first, in id order, so
   * that two batches over the same messages wait for each other instead of
   * deadlocking; the one that waited then finds the guard false.
   */
  const settleMails = async (settlements: readonly MailSettlement[]): Promise<boolean[]> => {
    if (settlements.length === 0) return [];
    const column = <T>(of: (settlement: MailSettlement) => T) => settlements.map(of);
    const failure = (o: MailOutcome) =>
      o.status === "pending" || o.status === "failed" ? o : null;
    const rows = await queryRows(
      client,
      `WITH v AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[],
                              $5::integer[], $6::timestamptz[], $7::text[])
           AS v(id, claim_id, outcome, at, attempts, next_attempt_at, last_error)
       ), locked AS (
         SELECT id FROM ${schema}.mail_outbox WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE
       )
       UPDATE ${schema}.mail_outbox AS m
       SET status = CASE WHEN v.outcome IN ('sent', 'pending', 'failed') THEN v.outcome ELSE m.status END,
           sent_at = CASE WHEN v.outcome = 'sent' THEN v.at ELSE m.sent_at END,
           payload = CASE WHEN v.outcome = 'sent' THEN NULL ELSE m.payload END,
           attempts = CASE WHEN v.outcome = 'sent' THEN m.attempts + 1
                           WHEN v.outcome = 'released' THEN m.attempts ELSE v.attempts END,
           next_attempt_at = COALESCE(v.next_attempt_at, m.next_attempt_at),
           last_error = CASE WHEN v.outcome IN ('pending', 'failed') THEN v.last_error ELSE m.last_error END,
           claimed_until = NULL, claim_id = NULL
       FROM v JOIN locked ON locked.id = v.id
       WHERE m.id = v.id AND m.claim_id = v.claim_id AND m.status = 'pending'
       RETURNING m.id`,
      [
        column((s) => s.id),
        column((s) => s.claimId),
        column((s) => s.outcome.status),
        column((s) => (s.outcome.status === "sent" ? param(s.outcome.at) : null)),
        column((s) => failure(s.outcome)?.attempts ?? null),
        column((s) => param(failure(s.outcome)?.nextAttemptAt ?? null)),
        column((s) => failure(s.outcome)?.lastError ?? null),
      ],
    );
    const recorded = new Set(rows.map((row) => row.id));
    return settlements.map((s) => recorded.has(s.id));
  };

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
      const [settled = false] = await settleMails([{ id, claimId, outcome }]);
      return settled;
    },

    settleMails,

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
