import { PanelAccessConfigError } from "../config/options.js";
import { logSafely } from "../ports/logger.js";

/** The longest delay a Node.js timer takes (about 24.8 days). */
const MAX_TIMER = 2 ** 31 - 1;

import type { Dependencies } from "./dependencies.js";

/** What `shutdown()` found. */
export interface ShutdownReport {
  /** Every send, `dispatchMail()` round and piece of background work finished before the deadline. */
  readonly settled: boolean;
  /**
   * Background tasks and dispatcher rounds still running at the deadline (0
   * when `settled`). A send among them keeps its claim until `mail.claimFor`
   * runs out; if it never completes, another instance then sends the
   * message, and if it did complete unrecorded, sends it again with the same
   * Message-ID.
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
 * and are recorded. Nothing claimed is left unsent: a message a round
 * claimed ahead and has not begun is given back (released) at once.
 */
export async function shutdown(
  deps: Dependencies,
  stopWorkers: () => Promise<void>,
  timeoutMs: number,
): Promise<ShutdownReport> {
  const valid =
    timeoutMs === Number.POSITIVE_INFINITY ||
    (Number.isInteger(timeoutMs) && timeoutMs >= 0 && timeoutMs <= MAX_TIMER);
  if (!valid) {
    throw new PanelAccessConfigError(
      `shutdown({ timeout }) takes whole milliseconds from 0 to ${MAX_TIMER}, or Infinity (no deadline); got ${String(timeoutMs)}`,
    );
  }
  const started = performance.now();
  deps.lifecycle.stopping = true;
  for (const stopping of deps.lifecycle.onStopping) stopping();
  const { rounds } = deps.lifecycle;
  const drained = (async () => {
    await stopWorkers();
    while (deps.deliveries.size + rounds.size > 0) {
      await Promise.all([...deps.deliveries, ...[...rounds].map((round) => round.catch(() => {}))]);
    }
    return true;
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    if (Number.isFinite(timeoutMs)) timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const settled = await Promise.race([drained, late]);
  clearTimeout(timer);
  const report = {
    settled,
    unfinished: settled ? 0 : deps.deliveries.size + rounds.size,
    durationMs: Math.round(performance.now() - started),
  };
  logSafely(deps.logger, settled ? "info" : "warn", "panel-access shut down", report);
  return report;
}
