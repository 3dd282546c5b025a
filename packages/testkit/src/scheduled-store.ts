import type { PasswordHasher, StoragePort, StorageTx } from "@panel-access/core";
import type fc from "fast-check";

/**
 * A store whose every call returns through fast-check's scheduler, so that a
 * property sees concurrent use cases interleave in every order the scheduler
 * picks (`fc.scheduler()`), and shrinks a failing order to a short one. The
 * store's own locks still apply: what is tested is that they are enough.
 */
export function scheduledStore(inner: StoragePort, scheduler: fc.Scheduler): StoragePort {
  const { readSession } = inner;
  return {
    // The read happens now; its answer comes back when the scheduler says,
    // as a snapshot read by one statement and delivered late would.
    ...(readSession && {
      readSession: (id: string) =>
        scheduler.schedule(readSession.call(inner, id), `readSession ${id}`),
    }),
    transact: (scope, work) =>
      scheduler.schedule(Promise.resolve(), `transact ${JSON.stringify(scope)}`).then(() =>
        inner.transact(scope, (tx) =>
          work(
            new Proxy(tx, {
              get(target, property, receiver) {
                const value: unknown = Reflect.get(target, property, receiver);
                if (typeof value !== "function") return value;
                return (...args: unknown[]) =>
                  scheduler.schedule(
                    Promise.resolve(value.apply(target, args) as unknown),
                    String(property),
                  );
              },
            }) as StorageTx,
          ),
        ),
      ),
  };
}

/** A password hasher whose answers return through the scheduler (a hash takes a while). */
export function scheduledHasher(inner: PasswordHasher, scheduler: fc.Scheduler): PasswordHasher {
  return {
    hash: (password) => scheduler.schedule(inner.hash(password), "hash"),
    verify: (hash, password) => scheduler.schedule(inner.verify(hash, password), "verify"),
  };
}
