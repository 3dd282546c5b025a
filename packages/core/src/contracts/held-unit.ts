import type { StorageTx } from "../ports/storage.js";

/**
 * A unit of work that runs `work`, then stays open, holding what `work`
 * wrote (and its row locks), uncommitted, until `release()`: `held`
 * resolves once `work` is done, `unit` with its answer once the unit has
 * ended. `transact` starts the unit (`(w) => store.transact({}, w)`, or a
 * cleanup subject's `read`/`write`). Lets a contract start a racing call
 * while the first is certainly mid-way, with no sleep.
 */
export function heldUnit<T>(
  transact: (work: (tx: StorageTx) => Promise<T>) => Promise<T>,
  work: (tx: StorageTx) => Promise<T>,
): { readonly unit: Promise<T>; readonly held: Promise<void>; release(): void } {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let done = () => {};
  const held = new Promise<void>((resolve) => {
    done = resolve;
  });
  const unit = transact(async (tx) => {
    const answer = await work(tx);
    done();
    await gate;
    return answer;
  });
  return { unit, held, release: () => release() };
}
