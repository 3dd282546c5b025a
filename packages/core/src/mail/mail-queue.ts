import type { DateTime } from "luxon";
import { err, ok, type ResultAsync } from "neverthrow";
import { z } from "zod";
import type { MailKind } from "../domain/mail.js";
import type { OutboxStatus } from "../domain/outbox.js";
import { type Forbidden, forbidden, type InvalidInput, type StorageFailed } from "../errors.js";
import { actorSchema, idSchema, parseInput } from "../input/schemas.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { readOnly, runUnitOfWork } from "../runtime/unit-of-work.js";

/** A message of the outbox as an operator sees it: never its content. */
export interface QueuedMail {
  readonly messageId: string;
  readonly kind: MailKind;
  readonly accountId: string;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly createdAt: DateTime;
  readonly nextAttemptAt: DateTime;
  readonly sentAt: DateTime | null;
  /** An error code such as `ECONNECTION` or `EENVELOPE 550`; `null` before any failure. */
  readonly lastError: string | null;
}

export const listMailInput = z.object({
  actor: actorSchema,
  /** @default "failed" */
  status: z.enum(["pending", "sent", "failed"]).default("failed"),
  /** @default 100 */
  limit: z.int().min(1).max(1000).default(100),
});
/** What `listMail` takes; validated with zod (INP-1). */
export type ListMailInput = z.input<typeof listMailInput>;

/**
 * MAIL-2: the outbox's messages with one status (by default `failed`: those
 * every attempt failed for), oldest first, for the support team (an
 * `operator` actor). Shows what and to whom, never the content or the link.
 */
export function listMail(
  deps: Dependencies,
  input: ListMailInput,
): ResultAsync<QueuedMail[], InvalidInput | Forbidden | StorageFailed> {
  return parseInput(listMailInput, input).asyncAndThen(({ actor, status, limit }) =>
    readOnly(deps, async (tx) => {
      if (actor.type !== "operator") return err(forbidden());
      const messages = await tx.listMail(status, limit);
      return ok(
        messages.map((m) => ({
          messageId: m.id,
          kind: m.kind,
          accountId: m.accountId,
          status: m.status,
          attempts: m.attempts,
          createdAt: m.createdAt,
          nextAttemptAt: m.nextAttemptAt,
          sentAt: m.sentAt,
          lastError: m.lastError,
        })),
      );
    }),
  );
}

export const retryMailInput = z.object({ actor: actorSchema, messageId: idSchema });
/** What `retryMail` takes; validated with zod (INP-1). */
export type RetryMailInput = z.input<typeof retryMailInput>;
/** Only a `failed` message can be re-queued (a pending one is on its way; a sent one is done). */
export interface MailNotFailed {
  readonly type: "MAIL_NOT_FAILED";
}

/**
 * MAIL-2: puts a `failed` message back in the queue, due now, with a fresh
 * set of attempts (after the mail server or the key was fixed). Operator only.
 * AUD-2: records `mail.requeued` with the operator in the audit trail, in the
 * same unit of work.
 */
export function retryMail(
  deps: Dependencies,
  input: RetryMailInput,
): ResultAsync<
  { readonly messageId: string },
  InvalidInput | Forbidden | MailNotFailed | StorageFailed
> {
  return parseInput(retryMailInput, input).asyncAndThen(({ actor, messageId }) =>
    runUnitOfWork(deps, {}, async (tx, outbox) => {
      if (actor.type !== "operator") return err(forbidden());
      const now = deps.clock.now();
      if (!(await tx.requeueMail(messageId, now))) return err({ type: "MAIL_NOT_FAILED" } as const);
      outbox.recordEvent({ type: "mail.requeued", at: now, actor, messageId });
      return ok({ messageId });
    }),
  );
}
