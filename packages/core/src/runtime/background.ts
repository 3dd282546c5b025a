import type { Dependencies } from "./dependencies.js";

/**
 * Work that goes on after an answer (mail sent after the commit, events of
 * login, a throttle count given back…): tracked so that `settled()` and
 * `shutdown()` wait for it. The caller has its answer already, so a failure
 * here is never thrown into the host.
 */
export function inBackground(deps: Pick<Dependencies, "deliveries">, work: Promise<unknown>): void {
  const tracked = work.then(
    () => {},
    () => {},
  );
  deps.deliveries.add(tracked);
  void tracked.finally(() => deps.deliveries.delete(tracked));
}
