/**
 * The exit codes of `panel-access`, one per kind of outcome, so that a script
 * or a scheduler can tell them apart. docs/cli.md lists them with examples.
 */
export const EXIT = {
  /** The command did what it was asked (for `status`: the schema is up to date). */
  ok: 0,
  /**
   * The library refused the action and nothing changed: `NOT_BLOCKED`,
   * `ACCOUNT_NOT_FOUND`, `MAIL_NOT_FAILED`; or `dispatch` stopped with sends
   * still unfinished at its shutdown deadline.
   */
  refused: 1,
  /**
   * Usage: an unknown command or option, a missing argument or `--operator`,
   * a value the command or the library refuses as input (an e-mail, a message
   * id, `--limit`). Nothing ran.
   */
  usage: 2,
  /** Configuration: an environment variable the command needs is missing or invalid. Nothing ran. */
  configuration: 3,
  /**
   * The database: unreachable (refused, timed out, authentication, no such
   * database) or failed during the command (`STORAGE_FAILED`, an SQL error).
   */
  database: 4,
  /** `status` only: the schema has migrations pending (run `panel-access migrate`). */
  pending: 5,
  /** A bug of the command line or the library: the error's name is printed, never its details. */
  internal: 70,
} as const;

/** One of the exit codes of {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
