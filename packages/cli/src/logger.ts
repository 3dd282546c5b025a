import type { LogFields, Logger, LogLevel } from "@panel-access/core";

/**
 * The library's `Logger` port as JSON lines on standard error, one object a
 * line: `time` (ISO 8601, UTC), `level`, `msg`, the line's own fields, then
 * `context` (the command and the operator who ran it), which a field of the
 * same name never overrides. The library's fields carry no secret
 * (docs/operations.md); the context is what the operator typed.
 *
 * @param write where each line goes (with its newline)
 * @param context fields added to every line, e.g. `{ command: "migrate", operator: "jane" }`
 * @param now the clock of `time` @default the system clock
 */
export function jsonLinesLogger(
  write: (line: string) => void,
  context: LogFields,
  now: () => Date = () => new Date(),
): Logger {
  const line =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      write(
        `${JSON.stringify({ time: now().toISOString(), level, msg: message, ...fields, ...context })}\n`,
      );
    };
  return { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") };
}
