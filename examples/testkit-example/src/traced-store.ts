import type { LockScope, StoragePort, StorageTx } from "@panel-access/core";

/**
 * Your own storage adapter. Here: the memory store (or any other) with a
 * trace of every unit of work, as an app might add metrics or tracing around
 * its database. Whatever you put between the library and the database, the
 * testkit's model check tells you whether every rule still holds.
 */
export class TracedStore implements StoragePort {
  /** How many units of work ran, by the kind of scope they locked. */
  readonly trace = { locked: 0, unlocked: 0 };

  constructor(private readonly inner: StoragePort) {}

  transact<T>(scope: LockScope, work: (tx: StorageTx) => Promise<T>): Promise<T> {
    const locked = (scope.accounts?.length ?? 0) + (scope.panels?.length ?? 0) > 0;
    this.trace[locked ? "locked" : "unlocked"] += 1;
    return this.inner.transact(scope, work);
  }
}
