import { err, ok, type Result, ResultAsync } from "neverthrow";
import { type StorageFailed, storageFailed } from "../errors.js";
import type { LockScope, StorageTx } from "../ports/storage.js";
import { deliverMail } from "./deliver-mail.js";
import type { Dependencies } from "./dependencies.js";
import { Outbox } from "./outbox.js";

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

/** How the caller waits for the mail and events of a committed unit of work. */
export type Delivery =
  /** Answer after they are handed over (the default: callers and tests see them at once). */
  | "awaited"
  /**
   * Answer at once and deliver in the background, so that how long a mail
   * server takes cannot tell a caller which branch ran (login, forgot password:
   * no account enumeration by timing). `PanelAccess.settled()` waits for them.
   */
  | "background";

/**
 * Runs `work` in one unit of work of the store. An `err` from `work` rolls
 * back every write, so a refused request never leaves a half-done change.
 * Mail and events are delivered only after the commit.
 */
export function runUnitOfWork<T, E>(
  deps: Dependencies,
  scope: LockScope,
  work: (tx: StorageTx, outbox: Outbox) => PromiseLike<Result<T, E>>,
  delivery: Delivery = "awaited",
): ResultAsync<T, E | StorageFailed> {
  const outbox = new Outbox();
  const run = async (): Promise<Result<T, E | StorageFailed>> => {
    let value: T;
    try {
      value = await deps.store.transact(scope, async (tx) => {
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
      });
    } catch (caught) {
      if (caught instanceof Rollback) return err(caught.error as E);
      if (caught instanceof Defect) throw caught.cause;
      return err(storageFailed(caught instanceof StorageFailure ? caught.cause : caught));
    }
    const delivered = afterCommit(deps, outbox);
    if (delivery === "awaited") {
      await delivered;
    } else {
      deps.deliveries.add(delivered);
      void delivered.finally(() => deps.deliveries.delete(delivered));
    }
    return ok(value);
  };
  return new ResultAsync(run());
}

/**
 * After the commit: the events go to the sink, and the queued mail is tried
 * at once (unless `mail.sendAfterCommit` is off). A failed attempt stays in
 * the outbox for `dispatchMail` (MAIL-2); it never turns the committed
 * change into an error.
 */
async function afterCommit(deps: Dependencies, outbox: Outbox): Promise<void> {
  await outbox.publishEvents(deps);
  if (deps.options.mail.sendAfterCommit && outbox.queued.length > 0) {
    await deliverMail(deps, outbox.queued);
  }
}

/**
 * `runUnitOfWork` for work that may also answer `commitThenRefuse(error)`:
 * its writes commit (a failure count), then the caller gets `error`.
 */
export function runRefusableUnitOfWork<T, E, R>(
  deps: Dependencies,
  scope: LockScope,
  work: (tx: StorageTx, outbox: Outbox) => PromiseLike<Result<T | CommitThenRefuse<R>, E>>,
  delivery: Delivery = "awaited",
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
