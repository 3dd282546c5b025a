import type { ResultAsync } from "neverthrow";
import type { StorageFailed } from "../errors.js";
import { type Logger, logSafely, silentLogger } from "../ports/logger.js";
import type { DispatchReport } from "../runtime/deliver-mail.js";

/** What the loop needs: the library's `dispatchMail` (any object that has it). */
export interface DispatchesMail {
  /** Sends the outbox's due messages once. */
  dispatchMail(): ResultAsync<DispatchReport, StorageFailed>;
}

/** Options of `startMailDispatcher`. */
export interface MailDispatcherOptions {
  /** Milliseconds between two rounds when the outbox is drained. @default 30 000 */
  readonly every?: number;
  /** Told about each round that could not reach the store; the loop goes on. @default ignore */
  readonly onStorageFailure?: (error: StorageFailed) => void;
  /** Told what each round that did something did (for metrics and logs). @default ignore */
  readonly onReport?: (report: DispatchReport) => void;
  /**
   * Where a round that could not reach the store is reported (`warn`, with
   * the error's code). `panelAccess.startMailDispatcher` passes the
   * library's. @default silentLogger
   */
  readonly logger?: Logger;
}

/** A running dispatcher loop. */
export interface MailDispatcher {
  /** Stops the loop; resolves once the round in progress, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * MAIL-2: runs `dispatchMail` in the background: a round at once, then
 * another `every` milliseconds after each round; while rounds keep sending
 * messages, the next starts at once (a backlog drains at full speed). Start
 * one on every instance: claims keep them from sending a message twice.
 */
export function startMailDispatcher(
  library: DispatchesMail,
  options: MailDispatcherOptions = {},
): MailDispatcher {
  const every = options.every ?? 30_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();

  const runRound = async (): Promise<void> => {
    const result = await library.dispatchMail();
    if (stopped) return;
    let again = false;
    if (result.isErr()) {
      logSafely(options.logger ?? silentLogger, "warn", "mail round could not reach the store", {
        error: result.error.type,
      });
      options.onStorageFailure?.(result.error);
    } else {
      const { sent, retrying, failed } = result.value;
      if (sent + retrying + failed > 0) options.onReport?.(result.value);
      again = sent > 0;
    }
    schedule(again ? 0 : every);
  };
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      round = runRound();
    }, delay);
    timer.unref?.();
  };

  round = runRound();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
