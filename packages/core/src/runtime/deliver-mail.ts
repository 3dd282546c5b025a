import type { DateTime } from "luxon";
import { err, ok, type Result, ResultAsync } from "neverthrow";
import type { DomainEvent } from "../domain/events.js";
import {
  afterFailedAttempt,
  type MailOutcome,
  type OutboxMessageRecord,
} from "../domain/outbox.js";
import { type StorageFailed, storageFailed } from "../errors.js";
import { logSafely } from "../ports/logger.js";
import { SealedSecretError } from "../secrets/secret-box.js";
import { newId } from "../secrets/tokens.js";
import type { Dependencies } from "./dependencies.js";
import { openIntent } from "./sealed-intent.js";
import { inSpan, SPAN_KIND } from "./tracing.js";

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
 * MAIL-2: sends due messages of the outbox. Each of `mail.concurrency`
 * senders claims one message at a time, right before sending it (each
 * message goes to exactly one dispatcher, whichever instance it runs on, and
 * a claim never waits behind other sends), sends outside any transaction,
 * and records the outcome: `sent` (payload erased), or another attempt after
 * a backoff, or `failed` after the last attempt. A round claims at most
 * `mail.batchSize` messages. A dispatcher that dies mid-send loses nothing:
 * its claim runs out after `mail.claimFor` and another dispatcher takes the
 * message over. Once `shutdown()` has begun, no sender claims another message.
 *
 * A message sealed under a key id this instance's `twoFactor.encryptionKeys`
 * do not list (a dispatcher started with an older or partial key set, a new
 * instance during a key rollout) is not attempted: it is released, its
 * attempts unchanged, due again after `mail.firstRetryDelay` (so that an
 * instance holding the key sends it), with an `error` line naming the key id
 * and the message. It counts in none of the report's numbers.
 *
 * Two callers: `dispatchMail` (mail/, a round of whatever is due) and the unit
 * of work, right after its commit, for the messages it queued.
 *
 * @param only restricts the claims to these messages (those a unit of work just queued).
 */
export function deliverMail(
  deps: Dependencies,
  only?: readonly string[],
): ResultAsync<DispatchReport, StorageFailed> {
  const round = dispatch(deps, only);
  if (only === undefined) {
    // A dispatcher round (the host's or a loop's): `shutdown()` waits for it.
    const { rounds } = deps.lifecycle;
    rounds.add(round);
    const done = () => rounds.delete(round);
    round.then(done, done);
  }
  return new ResultAsync(round);
}

/** A message and the claim this dispatcher holds on it. */
interface Claimed {
  readonly message: OutboxMessageRecord;
  readonly claim: { readonly claimId: string; readonly until: DateTime };
}

async function dispatch(
  deps: Dependencies,
  only: readonly string[] | undefined,
): Promise<Result<DispatchReport, StorageFailed>> {
  const { mail } = deps.options;
  const started = performance.now();
  const budget = only ? only.length : mail.batchSize;
  let taken = 0;
  const counts = { sent: 0, retrying: 0, failed: 0 };
  const failures: unknown[] = [];
  let withheld = 0;
  const release = async ({ message, claim }: Claimed, keyId: string): Promise<void> => {
    logSafely(deps.logger, "error", "mail payload sealed with a key this instance does not hold", {
      messageId: message.id,
      kind: message.kind,
      keyId,
    });
    const now = deps.clock.now();
    const outcome: MailOutcome = {
      status: "pending",
      attempts: message.attempts,
      // Due again later, never within this round: at the same instant, the
      // round would claim it again before the messages it can send.
      nextAttemptAt: now.plus({
        milliseconds: Math.max(1, deps.options.mail.firstRetryDelay.toMillis()),
      }),
      lastError: KEY_NOT_HELD,
    };
    try {
      await settle(deps, message.id, claim, outcome);
      withheld += 1;
    } catch (cause) {
      // Not released: the claim runs out after `mail.claimFor`; nothing is lost.
      failures.push(cause);
      logSafely(deps.logger, "warn", "mail outcome not recorded", {
        messageId: message.id,
        outcome: "released",
      });
    }
  };
  const record = async ({ message, claim }: Claimed, outcome: MailOutcome): Promise<void> => {
    try {
      await settle(deps, message.id, claim, outcome);
    } catch (cause) {
      // Sent (or not) but not recorded: the claim runs out and the message is
      // tried again with the same id, which a receiver can deduplicate.
      failures.push(cause);
      logSafely(deps.logger, "warn", "mail outcome not recorded", {
        messageId: message.id,
        outcome: outcome.status,
      });
      return;
    }
    if (outcome.status === "sent") counts.sent += 1;
    else {
      counts[outcome.status === "pending" ? "retrying" : "failed"] += 1;
      logSafely(deps.logger, outcome.status === "failed" ? "error" : "warn", "mail send failed", {
        messageId: message.id,
        kind: message.kind,
        attempts: outcome.attempts,
        reason: outcome.lastError,
        final: outcome.status === "failed",
      });
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
  // A sender claims its next message once the outcome of its last one is
  // written: a failing store ends the round, and a message whose record was
  // lost is not claimed again in the same round. (Claiming while sending
  // would be faster, but a claimed message would then wait behind another
  // send, and a shutdown would find it claimed and not begun.) A claim that
  // finds nothing ends its sender only: the others may hold the rest (SKIP
  // LOCKED).
  const next = async (): Promise<Claimed | null> => {
    if (taken >= budget || failures.length > 0 || deps.lifecycle.stopping) return null;
    taken += 1;
    try {
      return await claimOne(deps, only);
    } catch (cause) {
      failures.push(cause);
      return null;
    }
  };
  const sender = async (first: Claimed | null) => {
    for (let claimed = first; claimed !== null; claimed = await next()) {
      const outcome = await attempt(deps, claimed.message);
      if (outcome.status === "withheld") await release(claimed, outcome.keyId);
      else await record(claimed, outcome);
    }
  };
  // One claim first: an empty outbox costs one transaction, not one per sender.
  const first = await next();
  if (first !== null) {
    const others = Math.min(mail.concurrency, budget) - 1;
    await Promise.all([
      sender(first),
      ...Array.from({ length: others }, async () => sender(await next())),
    ]);
  }
  const report = counts.sent + counts.retrying + counts.failed + withheld;
  if (report > 0 && only === undefined) {
    logSafely(deps.logger, "info", "mail round", {
      ...counts,
      ...(withheld > 0 && { withheld }),
      durationMs: Math.round(performance.now() - started),
    });
  }
  return failures.length > 0 ? err(storageFailed(failures[0])) : ok(counts);
}

/** Claims the next due message (of `only`, if given) for this dispatcher; `null` when none is due. */
async function claimOne(
  deps: Dependencies,
  only: readonly string[] | undefined,
): Promise<Claimed | null> {
  const now = deps.clock.now();
  const claim = { claimId: newId(deps.random), until: now.plus(deps.options.mail.claimFor) };
  const [message] = await inSpan(deps.tracer, "panel-access store.transact", {}, () =>
    deps.store.transact({}, (tx) =>
      tx.claimMail({ now, ...claim, limit: 1, ...(only && { ids: only }) }),
    ),
  );
  return message === undefined ? null : { message, claim };
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
      await inSpan(deps.tracer, "panel-access store.transact", {}, () =>
        deps.store.transact({}, (tx) => tx.settleMail(id, claim.claimId, outcome)),
      );
      return;
    } catch (cause) {
      if (attempt >= attempts) throw cause;
      logSafely(deps.logger, "warn", "mail send not recorded; trying again", {
        messageId: id,
        attempt,
      });
      await wait(firstSettleRetryDelay.toMillis() * 2 ** (attempt - 1));
      if (deps.clock.now().toMillis() >= claim.until.toMillis()) throw cause;
    }
  }
}

/** A real pause between two writes of the store (not a reading of the time). */
function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The `lastError` of a message released because its payload is sealed under
 * a key id this instance does not hold (still `pending`, its attempts unchanged).
 */
export const KEY_NOT_HELD = "PAYLOAD_KEY_NOT_HELD";

/** A message this instance cannot open but another may: sealed under `keyId`, which it does not hold. */
interface Withheld {
  readonly status: "withheld";
  readonly keyId: string;
}

/** One attempt at one message: never throws. */
async function attempt(
  deps: Dependencies,
  message: OutboxMessageRecord,
): Promise<MailOutcome | Withheld> {
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
  } catch (error) {
    // MAIL-2, MAIL-4: a key id this instance does not hold is this
    // instance's gap, not the message's: another instance (or this one, once
    // its keys are fixed) can open it, so no attempt is used up.
    if (error instanceof SealedSecretError && error.reason === "keyNotHeld" && error.keyId)
      return { status: "withheld", keyId: error.keyId };
    // A key held but data that fails authentication (altered, or copied from
    // another message), or a payload of the wrong shape: retrying cannot
    // help, so the message is marked failed at once (re-queueable).
    return failure("PAYLOAD_UNREADABLE", true);
  }
  // MAIL-4: past `mail.sendTimeout` the mailer is asked to give up on a
  // message it has not begun; its answer, whatever it is, is what is recorded
  // (stopping to wait for a send still under way would send it twice).
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), deps.options.mail.sendTimeout.toMillis());
  timer.unref?.();
  const envelope = { messageId: message.id, attempt: attempts, signal: timeout.signal };
  try {
    await inSpan(
      deps.tracer,
      "panel-access mail.send",
      { "panel_access.mail.kind": message.kind, "panel_access.mail.attempt": attempts },
      () => deps.mailer.send(intent, envelope),
      undefined,
      SPAN_KIND.client,
    );
    return { status: "sent", at: deps.clock.now() };
  } catch (error) {
    return failure(errorCode(error));
  } finally {
    clearTimeout(timer);
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
