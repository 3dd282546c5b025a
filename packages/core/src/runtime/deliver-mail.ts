import type { DateTime } from "luxon";
import { err, ok, type Result, ResultAsync } from "neverthrow";
import type { DomainEvent } from "../domain/events.js";
import {
  afterFailedAttempt,
  type MailOutcome,
  type OutboxMessageRecord,
} from "../domain/outbox.js";
import { type StorageFailed, storageFailed } from "../errors.js";
import { newId } from "../secrets/tokens.js";
import type { Dependencies } from "./dependencies.js";
import { openIntent } from "./sealed-intent.js";

/** What one round of sending did (the answer of `dispatchMail()`). */
export interface DispatchReport {
  /** Messages the mailer accepted. */
  readonly sent: number;
  /** Messages whose attempt failed and which will be tried again. */
  readonly retrying: number;
  /** Messages whose last attempt failed: now `failed`, kept for `retryMail`. */
  readonly failed: number;
}

/**
 * MAIL-2: sends due messages of the outbox. Claims a batch (each message goes
 * to exactly one dispatcher, whichever instance it runs on), sends outside any
 * transaction, and records each outcome: `sent` (payload erased), or another
 * attempt after a backoff, or `failed` after the last attempt. A dispatcher
 * that dies mid-batch loses nothing: its claims run out after
 * `mail.claimFor` and another dispatcher takes the messages over.
 *
 * Two callers: `dispatchMail` (mail/, a round of whatever is due) and the unit
 * of work, right after its commit, for the messages it queued.
 *
 * @param only restricts the claim to these messages (those a unit of work just queued).
 */
export function deliverMail(
  deps: Dependencies,
  only?: readonly string[],
): ResultAsync<DispatchReport, StorageFailed> {
  return new ResultAsync(dispatch(deps, only));
}

async function dispatch(
  deps: Dependencies,
  only: readonly string[] | undefined,
): Promise<Result<DispatchReport, StorageFailed>> {
  const { mail } = deps.options;
  const now = deps.clock.now();
  const claim = { claimId: newId(deps.random), until: now.plus(mail.claimFor) };
  let claimed: OutboxMessageRecord[];
  try {
    claimed = await deps.store.transact({}, (tx) =>
      tx.claimMail({
        now,
        ...claim,
        limit: only ? only.length : mail.batchSize,
        ...(only && { ids: only }),
      }),
    );
  } catch (cause) {
    return err(storageFailed(cause));
  }
  const counts = { sent: 0, retrying: 0, failed: 0 };
  const unrecorded: unknown[] = [];
  const record = async (message: OutboxMessageRecord, outcome: MailOutcome): Promise<void> => {
    try {
      await settle(deps, message.id, claim, outcome);
    } catch (cause) {
      // Sent (or not) but not recorded: the claim runs out and the message is
      // tried again with the same id, which a receiver can deduplicate.
      unrecorded.push(cause);
      return;
    }
    if (outcome.status === "sent") counts.sent += 1;
    else {
      counts[outcome.status === "pending" ? "retrying" : "failed"] += 1;
      await publish(deps, {
        type: "mail.failed",
        at: deps.clock.now(),
        actor: { type: "system" },
        kind: message.kind,
        accountId: message.accountId,
        messageId: message.id,
        attempts: outcome.attempts,
        retryAt: outcome.status === "pending" ? outcome.nextAttemptAt : null,
        reason: outcome.lastError,
      });
    }
  };
  // Each sender moves on to its next message while the outcome of the last
  // one is written: the store's round trip overlaps the next SMTP dialogue.
  const recording: Promise<void>[] = [];
  await eachWithConcurrency(claimed, mail.concurrency, async (message) => {
    const outcome = await attempt(deps, message);
    recording.push(record(message, outcome));
  });
  await Promise.all(recording);
  return unrecorded.length > 0 ? err(storageFailed(unrecorded[0])) : ok(counts);
}

/**
 * Records how an attempt ended. MAIL-4: a send the server accepted is
 * recorded again after a failed write (`mail.settleAttempts` in all, waiting
 * `mail.firstSettleRetryDelay`, then twice as long each time) while the
 * claim holds by the clock port: a store hiccup between the server's 250 and
 * the record must not send a second copy once the claim runs out. Only the
 * claim's holder can settle (the store's guard), so a retry that comes after
 * a takeover, or after a write that did commit, records nothing. A failed
 * attempt is recorded once: if that is lost, the message is tried again
 * once the claim runs out, and no copy went out. Rejects with the last failure.
 */
async function settle(
  deps: Dependencies,
  id: string,
  claim: { readonly claimId: string; readonly until: DateTime },
  outcome: MailOutcome,
): Promise<void> {
  const { settleAttempts, firstSettleRetryDelay } = deps.options.mail;
  const attempts = outcome.status === "sent" ? settleAttempts : 1;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await deps.store.transact({}, (tx) => tx.settleMail(id, claim.claimId, outcome));
      return;
    } catch (cause) {
      if (attempt >= attempts) throw cause;
      await wait(firstSettleRetryDelay.toMillis() * 2 ** (attempt - 1));
      if (deps.clock.now().toMillis() >= claim.until.toMillis()) throw cause;
    }
  }
}

/** A real pause between two writes of the store (not a reading of the time). */
function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One attempt at one message: never throws. */
async function attempt(deps: Dependencies, message: OutboxMessageRecord): Promise<MailOutcome> {
  const attempts = message.attempts + 1;
  const failure = (lastError: string, giveUp = false): MailOutcome => {
    const now = deps.clock.now();
    if (giveUp) return { status: "failed", nextAttemptAt: now, attempts, lastError };
    const next = afterFailedAttempt(attempts, now, {
      maxAttempts: deps.options.mail.maxAttempts,
      firstDelayMs: deps.options.mail.firstRetryDelay.toMillis(),
      maxDelayMs: deps.options.mail.maxRetryDelay.toMillis(),
    });
    return { ...next, attempts, lastError };
  };
  if (message.payload === null) return failure("PAYLOAD_MISSING", true);
  let intent: ReturnType<typeof openIntent>;
  try {
    intent = openIntent(message.payload, deps.options.twoFactor.encryptionKeys, message.id);
  } catch {
    // A key removed too early, or altered data: retrying cannot help until an
    // operator acts, so the message is marked failed at once (re-queueable).
    return failure("PAYLOAD_UNREADABLE", true);
  }
  try {
    await deps.mailer.send(intent, { messageId: message.id, attempt: attempts });
    return { status: "sent", at: deps.clock.now() };
  } catch (error) {
    return failure(errorCode(error));
  }
}

/**
 * A short, secret-free description of a send failure: the error's `code` and
 * SMTP `responseCode` when it has them (nodemailer: `ECONNECTION`,
 * `ETIMEDOUT`, `EENVELOPE 550`…), else its name. Never its message, which
 * may quote what was sent.
 */
export function errorCode(error: unknown): string {
  const fields = (error ?? {}) as { code?: unknown; responseCode?: unknown; name?: unknown };
  const parts = [
    typeof fields.code === "string"
      ? fields.code
      : typeof fields.name === "string"
        ? fields.name
        : "SEND_FAILED",
    typeof fields.responseCode === "number" ? String(fields.responseCode) : "",
  ];
  return (
    parts
      .join(" ")
      .replace(/[^A-Za-z0-9_. -]/g, "")
      .trim()
      .slice(0, 64) || "SEND_FAILED"
  );
}

async function publish(deps: Dependencies, event: DomainEvent): Promise<void> {
  try {
    await deps.events.publish(event);
  } catch {
    // A failing sink must not undo what is recorded.
  }
}

async function eachWithConcurrency<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
