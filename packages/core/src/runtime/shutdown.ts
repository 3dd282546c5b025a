import { logSafely } from "../ports/logger.js";
import type { Dependencies } from "./dependencies.js";

/** What `shutdown()` found. */
export interface ShutdownReport {
  /** Every send and every piece of background work finished before the deadline. */
  readonly settled: boolean;
  /**
   * Background tasks still running at the deadline (0 when `settled`). A
   * send among them keeps its claim until `mail.claimFor` runs out; then
   * another instance sends the message again, with the same Message-ID.
   */
  readonly unfinished: number;
  /** How long the shutdown took, in milliseconds. */
  readonly durationMs: number;
}

/**
 * Stops this instance's sending and waits for its background work, at most
 * `timeoutMs`: no sender claims another message and no message is sent
 * right after a commit any more (it stays pending for another instance);
 * `stopWorkers` stops the dispatcher loops; the sends already started finish
 * and are recorded. Nothing claimed is left unsent: a message is claimed only
 * when its send starts.
 */
export async function shutdown(
  deps: Dependencies,
  stopWorkers: () => Promise<void>,
  timeoutMs: number,
): Promise<ShutdownReport> {
  const started = performance.now();
  deps.lifecycle.stopping = true;
  const drained = (async () => {
    await stopWorkers();
    while (deps.deliveries.size > 0) await Promise.all([...deps.deliveries]);
    return true;
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const settled = await Promise.race([drained, late]);
  clearTimeout(timer);
  const report = {
    settled,
    unfinished: settled ? 0 : deps.deliveries.size,
    durationMs: Math.round(performance.now() - started),
  };
  logSafely(deps.logger, settled ? "info" : "warn", "panel-access shut down", report);
  return report;
}
