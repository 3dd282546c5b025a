import { err, ok, ResultAsync } from "neverthrow";
import { type StorageFailed, storageFailed } from "../../errors.js";
import type { SessionSnapshot, StoragePort } from "../../ports/storage.js";
import type { Dependencies } from "../../runtime/dependencies.js";
import { inSpan } from "../../runtime/tracing.js";

/**
 * SES-3: the session with this id, its account, the account's memberships
 * and their panels, as one snapshot: through the store's `readSession` (one
 * statement on PostgreSQL) when it has one, else in a read-only unit of work.
 * A rejection of the store is `STORAGE_FAILED`.
 */
export function readSessionSnapshot(
  deps: Dependencies,
  id: string,
): ResultAsync<SessionSnapshot | null, StorageFailed> {
  const { store } = deps;
  const read = store.readSession
    ? () => (store.readSession as (id: string) => Promise<SessionSnapshot | null>).call(store, id)
    : () => readInUnitOfWork(store, id);
  return new ResultAsync(
    inSpan(deps.tracer, "panel-access store.readSession", {}, read).then(
      (snapshot) => ok(snapshot),
      (cause: unknown) => err(storageFailed(cause)),
    ),
  );
}

/**
 * The same snapshot from the unit-of-work reads, for a store without
 * `readSession`: three reads in one unit of work with an empty scope.
 */
export function readInUnitOfWork(store: StoragePort, id: string): Promise<SessionSnapshot | null> {
  return store.transact({}, async (tx) => {
    const session = await tx.findSession(id);
    if (session === null) return null;
    const found = await tx.findAccountWithMemberships({ id: session.accountId });
    if (found === null) return null;
    const panels = await tx.findPanels([...new Set(found.memberships.map((m) => m.panelId))]);
    return { session, ...found, panels };
  });
}
