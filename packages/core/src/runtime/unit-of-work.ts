import { err, ok, type Result, ResultAsync } from "neverthrow";
import { type StorageFailed, storageFailed } from "../errors.js";
import { logSafely } from "../ports/logger.js";
import type { LockScope, StorageTx } from "../ports/storage.js";
import { inBackground } from "./background.js";
import { deliverMail } from "./deliver-mail.js";
import type { Dependencies } from "./dependencies.js";
import { Outbox } from "./outbox.js";
import { inSpan } from "./tracing.js";

/** A rule said no: roll back and hand the error to the caller. */
class Rollback {
  constructor(readonly error: unknown) {}
}
/** The adapter failed (connection lost, constraint violated…). */
class StorageFailure {
  constructor(readonly cause: unknown) {}
}
/** The core itself threw: a bug. It is rethrown, never disguised as a storage error. */
class Defect {
  constructor(readonly cause: unknown) {}
}

/** Tags every rejection of the adapter's methods, so it is told apart from a core bug. */
function guard(tx: StorageTx): StorageTx {
  return new Proxy(tx, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args);
        } catch (cause) {
          throw new StorageFailure(cause);
        }
      };
    },
  });
}

/**
 * A refusal whose writes must still commit: a wrong code or password is
 * answered `LOGIN_FAILED`, and its failure count (LCK-1) stays written. The
 * unit of work commits, then its caller gets `error`. (An `err` from the
 * work rolls back instead.)
 */
export class CommitThenRefuse<E> {
  constructor(readonly error: E) {}
}

/** The work's answer for "commit my writes, then refuse with `error`". */
export function commitThenRefuse<E>(error: E): Result<CommitThenRefuse<E>, never> {
  return ok(new CommitThenRefuse(error));
}

/**
 * What the answer of a committed unit of work waits for. It always comes
 * after the commit of the change and its queued messages (MAIL-2); the mail
 * is sent after the answer, in the background (MAIL-4), and
 * `PanelAccess.settled()` waits for it.
 */
export type Delivery =
  /**
   * The events are published before the answer (the default: callers and
   * tests see them at once); the mail too with `mail.awaitSending` (test setups).
   */
  | "eventsAwaited"
  /**
   * Answer at once: events and mail in the background, whatever the options,
   * so that how long the sink or a mail server takes cannot tell a caller
   * which branch ran (login, forgot password: no account enumeration by timing).
   */
  | "background";

/**
 * Runs `work` in one unit of work of the store. An `err` from `work` rolls
 * back every write, so a refused request never leaves a half-done change.
 * Mail and events are delivered only after the commit; the mail after the
 * answer too (MAIL-4), unless `mail.awaitSending`.
 */
export function runUnitOfWork<T, E>(
  deps: Dependencies,
  scope: LockScope,
  work: (tx: StorageTx, outbox: Outbox) => PromiseLike<Result<T, E>>,
  delivery: Delivery = "eventsAwaited",
): ResultAsync<T, E | StorageFailed> {
  const outbox = new Outbox();
  const run = async (): Promise<Result<T, E | StorageFailed>> => {
    let value: T;
    try {
      // A rule's refusal rolls back, yet it is an answer: the span ends well.
      const committed = await inSpan(deps.tracer, "panel-access store.transact", {}, () =>
        deps.store
          .transact(scope, async (tx) => {
            const guarded = guard(tx);
            let result: Result<T, E>;
            try {
              result = await work(guarded, outbox);
              if (result.isOk()) await outbox.write(guarded, deps);
            } catch (cause) {
              throw cause instanceof StorageFailure ? cause : new Defect(cause);
            }
            if (result.isErr()) throw new Rollback(result.error);
            return result.value;
          })
          .catch((caught: unknown) => {
            if (caught instanceof Rollback) return caught;
            throw caught;
          }),
      );
      if (committed instanceof Rollback) return err(committed.error as E);
      value = committed;
    } catch (caught) {
      if (caught instanceof Defect) throw caught.cause;
      return err(storageFailed(caught instanceof StorageFailure ? caught.cause : caught));
    }
    if (delivery === "background") {
      inBackground(
        deps,
        outbox.publishEvents(deps).then(async () => {
          await sendQueued(deps, outbox);
        }),
      );
    } else {
      await outbox.publishEvents(deps);
      const sending = sendQueued(deps, outbox);
      if (sending !== null && deps.options.mail.awaitSending) await sending;
      else if (sending !== null) inBackground(deps, sending);
    }
    return ok(value);
  };
  return new ResultAsync(run());
}

/**
 * After the commit: the queued mail is tried at once (unless
 * `mail.sendAfterCommit` is off); `null` when there is nothing to send. A
 * failed attempt stays in the outbox for `dispatchMail` (MAIL-2); it never
 * turns the committed change into an error.
 */
function sendQueued(deps: Dependencies, outbox: Outbox): Promise<void> | null {
  const { queued } = outbox;
  if (!deps.options.mail.sendAfterCommit || queued.length === 0) return null;
  const { lifecycle } = deps;
  // MAIL-4: past `mail.maxInFlight`, or once shutting down, the committed
  // messages wait, unclaimed, for a dispatcher round.
  if (
    lifecycle.stopping ||
    lifecycle.sendsInFlight + queued.length > deps.options.mail.maxInFlight
  ) {
    if (!lifecycle.stopping && !lifecycle.dispatcherStarted && !lifecycle.warnedNoDispatcher) {
      // Said once: without a dispatcher loop, these messages wait until someone calls dispatchMail().
      lifecycle.warnedNoDispatcher = true;
      logSafely(deps.logger, "warn", "mail left to the dispatcher, and none was started", {
        messages: queued.length,
        maxInFlight: deps.options.mail.maxInFlight,
      });
    }
    logSafely(deps.logger, "debug", "mail left to the dispatcher", { messages: queued.length });
    return null;
  }
  lifecycle.sendsInFlight += queued.length;
  return (async () => {
    try {
      await deliverMail(deps, queued);
    } finally {
      lifecycle.sendsInFlight -= queued.length;
    }
  })();
}

/**
 * `runUnitOfWork` for work that may also answer `commitThenRefuse(error)`:
 * its writes commit (a failure count), then the caller gets `error`.
 */
export function runRefusableUnitOfWork<T, E, R>(
  deps: Dependencies,
  scope: LockScope,
  work: (tx: StorageTx, outbox: Outbox) => PromiseLike<Result<T | CommitThenRefuse<R>, E>>,
  delivery: Delivery = "eventsAwaited",
): ResultAsync<T, E | R | StorageFailed> {
  return runUnitOfWork<T | CommitThenRefuse<R>, E>(deps, scope, work, delivery).andThen(
    (value): Result<T, R> => (value instanceof CommitThenRefuse ? err(value.error) : ok(value)),
  );
}

/** A read-only unit of work: no lock, nothing to deliver. */
export function readOnly<T, E>(
  deps: Dependencies,
  work: (tx: StorageTx) => PromiseLike<Result<T, E>>,
): ResultAsync<T, E | StorageFailed> {
  return runUnitOfWork(deps, {}, (tx) => work(tx));
}
