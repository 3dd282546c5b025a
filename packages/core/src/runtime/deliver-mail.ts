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
 * MAIL-2: sends due messages of the outbox. `mail.concurrency` senders send
 * at once, outside any transaction. Claims take many messages in one
 * transaction (each message goes to exactly one dispatcher, whichever
 * instance it runs on) and are made while the senders send, so that each
 * sender's next message is claimed by the time it is free: a round holds at
 * most two messages per sender, the one being sent and the next. Outcomes
 * are written in batches (one transaction for many) while the senders move
 * on: `sent` (payload erased), or another attempt after a backoff, or
 * `failed` after the last attempt. A round claims at most `mail.batchSize`
 * messages. A dispatcher that dies mid-send loses nothing: its claim runs
 * out after `mail.claimFor` and another dispatcher takes the message over.
 * Once `shutdown()` has begun, or the store has failed, no message is
 * claimed or begun, and those claimed ahead are given back at once
 * (released: only their claim is cleared). A message that waited for a
 * sender until less than half its claim, or too little for the longest
 * send and its records (`mail.sendTimeout` plus the settle retries), is
 * left is given back too, never begun.
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

/**
 * An outcome waiting to be written: of an attempt, of a message withheld
 * (its key is not held here), or of a message given back unsent.
 */
interface Unsettled {
  readonly claimed: Claimed;
  readonly outcome: MailOutcome;
  readonly kind: "attempt" | "withheld" | "released";
}

/** Messages a round holds claimed at most, per sender: the one being sent and the next. */
const HELD_PER_SENDER = 2;

/** A message claimed at most this long ago counts as straight from its claim (`#beginnable`). */
const FRESH_CLAIM_MS = 1_000;

/**
 * How long an outcome may wait for others to be written with it, in
 * milliseconds (real time, like the mailer's): outcomes are written together
 * once there are as many as senders, or when the round has nothing else
 * under way, or after this.
 */
const SETTLE_DELAY_MS = 10;

const RELEASED: MailOutcome = { status: "released" };

/**
 * One round: senders take claimed messages from `#ready`; claims (many
 * messages in one transaction) keep it topped up while the senders send;
 * outcomes are written in batches (one transaction each) while the senders
 * move on.
 */
class Round {
  readonly counts = { sent: 0, retrying: 0, failed: 0 };
  withheld = 0;
  readonly failures: unknown[] = [];
  readonly #deps: Dependencies;
  readonly #only: readonly string[] | undefined;
  readonly #budget: number;
  readonly #senders: number;
  /** MAIL-4: the longest a send and its records can take, in milliseconds (`mail.sendTimeout` plus the settle retries' waits). */
  readonly #longestSend: number;
  /** Messages claimed (or being claimed) in this round. */
  #taken = 0;
  /** A claim found fewer messages than it asked for. */
  #exhausted = false;
  /** Messages handed to a sender and not yet sent. */
  #busy = 0;
  /** Claimed, not begun. */
  readonly #ready: Claimed[] = [];
  #claiming: Promise<void> | null = null;
  readonly #unsettled: Unsettled[] = [];
  #flushing: Promise<void> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #publishing: Promise<void>[] = [];

  constructor(deps: Dependencies, only: readonly string[] | undefined) {
    this.#deps = deps;
    this.#only = only;
    this.#budget = only ? only.length : deps.options.mail.batchSize;
    this.#senders = Math.min(deps.options.mail.concurrency, this.#budget);
    const { sendTimeout, firstSettleRetryDelay, settleAttempts } = deps.options.mail;
    this.#longestSend =
      sendTimeout.toMillis() + firstSettleRetryDelay.toMillis() * (2 ** (settleAttempts - 1) - 1);
  }

  async run(): Promise<void> {
    const { onStopping } = this.#deps.lifecycle;
    const stopping = () => this.#giveBack();
    onStopping.add(stopping);
    try {
      await Promise.all(Array.from({ length: this.#senders }, () => this.#sender()));
      await this.#claiming;
    } finally {
      onStopping.delete(stopping);
    }
    this.#giveBack();
    while (this.#flushing !== null || this.#unsettled.length > 0) {
      if (this.#flushing === null) this.#flush();
      await this.#flushing;
    }
    await Promise.all(this.#publishing);
  }

  /** A failing store, or `shutdown()`: no message is claimed or begun any more. */
  #stopped(): boolean {
    return this.failures.length > 0 || this.#deps.lifecycle.stopping;
  }

  async #sender(): Promise<void> {
    for (let claimed = await this.#next(); claimed !== null; claimed = await this.#next()) {
      let outcome: MailOutcome | Withheld;
      try {
        // MAIL-4: a message that waited for a sender until too little of its
        // claim is left for the longest send and its records is given back.
        if (!this.#beginnable(claimed)) {
          logSafely(
            this.#deps.logger,
            "warn",
            "mail given back unsent: too little of its claim left",
            {
              messageId: claimed.message.id,
            },
          );
          this.#settleLater({ claimed, outcome: RELEASED, kind: "released" });
          continue;
        }
        outcome = await attempt(this.#deps, claimed.message);
      } finally {
        this.#busy -= 1;
      }
      if (outcome.status === "withheld") this.#withhold(claimed, outcome.keyId);
      else this.#settleLater({ claimed, outcome, kind: "attempt" });
    }
  }

  /** The next claimed message for a sender (claiming more if needed); `null` ends the sender. */
  async #next(): Promise<Claimed | null> {
    for (;;) {
      if (this.#stopped()) return null;
      const claimed = this.#ready.shift();
      if (claimed !== undefined) {
        this.#busy += 1;
        this.#refill();
        return claimed;
      }
      if (!this.#refill()) return null;
      await this.#claiming;
    }
  }

  /**
   * Claims more messages, in one transaction, unless a claim is under way
   * (answers `true`) or enough wait (at least one for every other sender),
   * or there is nothing more to claim (answers `false`). Tops the messages
   * held up to `HELD_PER_SENDER` per sender.
   */
  #refill(): boolean {
    if (this.#claiming !== null) return true;
    if (this.#stopped() || this.#exhausted || this.#taken >= this.#budget) return false;
    const waiting = this.#ready.length;
    if (waiting > 0 && waiting * 2 >= this.#senders) return false;
    const want = Math.min(
      this.#budget - this.#taken,
      HELD_PER_SENDER * this.#senders - this.#busy - waiting,
    );
    if (want <= 0) return false;
    this.#taken += want;
    this.#claiming = (async () => {
      try {
        const claimed = await claimSome(this.#deps, this.#only, want);
        this.#taken -= want - claimed.length;
        // Fewer than asked: the outbox has no more due (or other dispatchers hold it).
        if (claimed.length < want) this.#exhausted = true;
        this.#ready.push(...claimed);
      } catch (cause) {
        this.#taken -= want;
        this.failures.push(cause);
      } finally {
        this.#claiming = null;
      }
      if (this.#stopped()) this.#giveBack();
    })();
    return true;
  }

  /**
   * MAIL-4, by the clock port: a message straight from its claim (it waited
   * at most `FRESH_CLAIM_MS`) begins, as it did before messages were
   * claimed ahead (the options check that a claim outlasts the longest
   * send and its records). One claimed ahead begins only while more than
   * the longest send and at least half its claim are left: waiting behind
   * slow sends never eats more than half the margin a begun send keeps
   * against a mail server slower than its timeouts.
   */
  #beginnable({ claim }: Claimed): boolean {
    const claimFor = this.#deps.options.mail.claimFor.toMillis();
    const left = claim.until.toMillis() - this.#deps.clock.now().toMillis();
    if (claimFor - left <= FRESH_CLAIM_MS) return true;
    return left > this.#longestSend && left >= claimFor / 2;
  }

  /** Gives back every message claimed and not begun (`shutdown()`, a failing store, the round's end). */
  #giveBack(): void {
    for (const claimed of this.#ready.splice(0))
      this.#settleLater({ claimed, outcome: RELEASED, kind: "released" });
  }

  #withhold(claimed: Claimed, keyId: string): void {
    const { message } = claimed;
    logSafely(
      this.#deps.logger,
      "error",
      "mail payload sealed with a key this instance does not hold",
      { messageId: message.id, kind: message.kind, keyId },
    );
    const now = this.#deps.clock.now();
    const outcome: MailOutcome = {
      status: "pending",
      attempts: message.attempts,
      // Due again later, never within this round: at the same instant, the
      // round would claim it again before the messages it can send.
      nextAttemptAt: now.plus({
        milliseconds: Math.max(1, this.#deps.options.mail.firstRetryDelay.toMillis()),
      }),
      lastError: KEY_NOT_HELD,
    };
    this.#settleLater({ claimed, outcome, kind: "withheld" });
  }

  #settleLater(unsettled: Unsettled): void {
    this.#unsettled.push(unsettled);
    this.#flushSoon();
  }

  /**
   * Writes the waiting outcomes now if there are as many as senders, or the
   * round has nothing else under way, or it is stopping; else within
   * `SETTLE_DELAY_MS`. One write at a time: the next takes what waits.
   */
  #flushSoon(): void {
    if (this.#flushing !== null || this.#unsettled.length === 0) return;
    const idle = this.#busy === 0 && this.#ready.length === 0;
    if (this.#unsettled.length >= this.#senders || idle || this.#stopped()) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), SETTLE_DELAY_MS);
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#flushing !== null || this.#unsettled.length === 0) return;
    const batch = this.#unsettled.splice(0);
    this.#flushing = this.#write(batch).finally(() => {
      this.#flushing = null;
      this.#flushSoon();
    });
  }

  /**
   * Writes `batch` in one transaction (`settleMails`). MAIL-4: a send the
   * server accepted is written again after a failed write
   * (`mail.settleAttempts` in all, waiting `mail.firstSettleRetryDelay`, then
   * twice as long each time) while its claim holds by the clock port: a
   * store hiccup between the server's 250 and the record must not send a
   * second copy once the claim runs out. Only the claim's holder can settle
   * (the store's guard), so a retry that comes after a takeover, or after a
   * write that did commit, records nothing. Any other outcome is written
   * once: if that is lost, the message is tried again once the claim runs
   * out, and no copy went out. Never rejects: what is lost is in `failures`.
   */
  async #write(batch: readonly Unsettled[]): Promise<void> {
    const deps = this.#deps;
    const { settleAttempts, firstSettleRetryDelay } = deps.options.mail;
    let todo = batch;
    for (let attempt = 1; ; attempt += 1) {
      const settlements = todo.map(({ claimed, outcome }) => ({
        id: claimed.message.id,
        claimId: claimed.claim.claimId,
        outcome,
      }));
      try {
        await inSpan(deps.tracer, "panel-access store.transact", {}, () =>
          deps.store.transact({}, (tx) => tx.settleMails(settlements)),
        );
        for (const unsettled of todo) this.#recorded(unsettled);
        return;
      } catch (cause) {
        const again =
          attempt < settleAttempts ? todo.filter((u) => u.outcome.status === "sent") : [];
        for (const unsettled of todo) if (!again.includes(unsettled)) this.#lost(unsettled, cause);
        if (again.length === 0) return;
        for (const { claimed } of again) {
          logSafely(deps.logger, "warn", "mail send not recorded; trying again", {
            messageId: claimed.message.id,
            attempt,
          });
        }
        await wait(firstSettleRetryDelay.toMillis() * 2 ** (attempt - 1));
        const now = deps.clock.now().toMillis();
        todo = again.filter(({ claimed }) => now < claimed.claim.until.toMillis());
        for (const unsettled of again) if (!todo.includes(unsettled)) this.#lost(unsettled, cause);
        if (todo.length === 0) return;
      }
    }
  }

  /** The outcome was not written: the claim runs out after `mail.claimFor`, and nothing is lost. */
  #lost({ claimed, outcome, kind }: Unsettled, cause: unknown): void {
    // Sent (or not) but not recorded: the message is tried again with the
    // same id, which a receiver can deduplicate.
    this.failures.push(cause);
    logSafely(this.#deps.logger, "warn", "mail outcome not recorded", {
      messageId: claimed.message.id,
      outcome: kind === "attempt" ? outcome.status : "released",
    });
  }

  #recorded({ claimed, outcome, kind }: Unsettled): void {
    if (kind === "released") return;
    if (kind === "withheld") {
      this.withheld += 1;
      return;
    }
    if (outcome.status === "sent") {
      this.counts.sent += 1;
      return;
    }
    if (outcome.status === "released") return;
    const { message } = claimed;
    const deps = this.#deps;
    this.counts[outcome.status === "pending" ? "retrying" : "failed"] += 1;
    logSafely(deps.logger, outcome.status === "failed" ? "error" : "warn", "mail send failed", {
      messageId: message.id,
      kind: message.kind,
      attempts: outcome.attempts,
      reason: outcome.lastError,
      final: outcome.status === "failed",
    });
    this.#publishing.push(
      publish(deps, {
        type: "mail.failed",
        at: deps.clock.now(),
        actor: { type: "system" },
        kind: message.kind,
        accountId: message.accountId,
        messageId: message.id,
        attempts: outcome.attempts,
        retryAt: outcome.status === "pending" ? outcome.nextAttemptAt : null,
        reason: outcome.lastError,
      }),
    );
  }
}

async function dispatch(
  deps: Dependencies,
  only: readonly string[] | undefined,
): Promise<Result<DispatchReport, StorageFailed>> {
  const started = performance.now();
  const round = new Round(deps, only);
  await round.run();
  const { counts, withheld, failures } = round;
  const report = counts.sent + counts.retrying + counts.failed + withheld;
  if (report > 0 && only === undefined) {
    logSafely(deps.logger, "info", "mail round", {
      ...counts,
      ...(withheld > 0 && { withheld }),
      durationMs: Math.round(performance.now() - started),
    });
  }
  return failures.length > 0 ? err(storageFailed(failures[0])) : ok({ ...counts });
}

/** Claims up to `limit` due messages (of `only`, if given) for this dispatcher, in one transaction. */
async function claimSome(
  deps: Dependencies,
  only: readonly string[] | undefined,
  limit: number,
): Promise<Claimed[]> {
  const now = deps.clock.now();
  const claim = { claimId: newId(deps.random), until: now.plus(deps.options.mail.claimFor) };
  const messages = await inSpan(deps.tracer, "panel-access store.transact", {}, () =>
    deps.store.transact({}, (tx) =>
      tx.claimMail({ now, ...claim, limit, ...(only && { ids: only }) }),
    ),
  );
  return messages.map((message) => ({ message, claim }));
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
