/**
 * Structured fields of one log line. Values are plain: strings, numbers,
 * booleans. Never a secret: no password, token, link, code, TOTP secret,
 * session or browser token, and no e-mail address in a field meant for
 * counting (the library logs counts, durations, ids and error codes).
 */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** How much a log line matters. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * Where the library writes what it does in the background (the mail
 * dispatcher, migrations, cleanup, a pool's dropped connection). One method
 * per level; `message` is a short constant sentence, the facts go in
 * `fields`. A logger must not throw; if it does, the library ignores it.
 *
 * pino fits with an argument swap:
 * `{ info: (message, fields) => pinoLogger.info(fields ?? {}, message), … }`
 * (docs/operations.md).
 */
export interface Logger {
  /** Detail useful when tracing a problem. */
  debug(message: string, fields?: LogFields): void;
  /** What the library did: a batch sent, a migration applied, rows cleaned up. */
  info(message: string, fields?: LogFields): void;
  /** Something went wrong and was handled: a dropped connection, a retried write. */
  warn(message: string, fields?: LogFields): void;
  /** Something went wrong and needs an operator: a message that failed for good. */
  error(message: string, fields?: LogFields): void;
}

/** The default logger: writes nothing. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/**
 * Calls one level of `logger`, swallowing anything it throws: logging never
 * breaks the work it reports on.
 */
export function logSafely(
  logger: Logger,
  level: LogLevel,
  message: string,
  fields?: LogFields,
): void {
  try {
    // A logger typed `void` may still be async: its rejection is ignored too.
    const returned: unknown = logger[level](message, fields);
    if (returned instanceof Promise) returned.catch(() => {});
  } catch {
    // A logger that throws is the host's bug; the library's work goes on.
  }
}
