/**
 * What a command reads and writes, handed in: the process's own in `bin.ts`,
 * a test's in-process double elsewhere. No command touches `process`.
 */
export interface CliIo {
  /** The environment variables the commands read their configuration from (`process.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Writes text to standard output: what the command answers. */
  readonly stdout: (text: string) => void;
  /** Writes text to standard error: errors, and the JSON log lines of migrate, cleanup and dispatch. */
  readonly stderr: (text: string) => void;
  /**
   * Resolves, with the signal's name, once the process is asked to stop
   * (SIGINT, SIGTERM, SIGHUP). Only `dispatch` waits for it; the other
   * commands never call it, so Ctrl-C ends them as usual. While it is
   * pending the process stays alive (`bin.ts` holds a timer until the
   * signal comes): waiting for it must never let the event loop empty.
   */
  readonly stopRequested: () => Promise<string>;
}

/** The prefix of every error line the command line writes to standard error. */
export const ERROR_PREFIX = "panel-access: ";

/** Writes one error line to standard error. */
export function complain(io: CliIo, message: string): void {
  io.stderr(`${ERROR_PREFIX}${message}\n`);
}
