import { pgDriver, type SqlDriver } from "@panel-access/adapter-postgres";
import { type Logger, silentLogger } from "@panel-access/core";
import { err, ok, type Result } from "neverthrow";
import pg from "pg";
import type { DatabaseConfig } from "./env.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { type CliIo, complain } from "./io.js";

/** How long the command waits for a connection before it calls the database unreachable. */
const CONNECT_TIMEOUT_MS = 5_000;

/** A pool on the database, checked to answer, and its driver for the adapter. */
export interface Database {
  readonly driver: SqlDriver;
  readonly schema: string;
  /** `host:port/database`, without credentials. */
  readonly where: string;
  /** Ends the pool: the last thing a command does. */
  close(): Promise<void>;
}

/** The database did not answer: where it was looked for, and why, as a code. */
export interface DatabaseUnreachable {
  readonly type: "DATABASE_UNREACHABLE";
  readonly where: string;
  /** `ECONNREFUSED`, `ENOTFOUND`, a SQLSTATE such as `28P01` or `3D000`, or `TIMEOUT`. */
  readonly code: string;
}

/**
 * Opens a pool on `config.url` and runs `SELECT 1` on it, waiting at most 5
 * seconds for a connection: a database that cannot be reached is found
 * before the command does anything. `logger` hears of idle connections the
 * pool loses (`pgDriver`).
 */
export async function openDatabase(
  config: DatabaseConfig,
  logger: Logger = silentLogger,
): Promise<Result<Database, DatabaseUnreachable>> {
  const pool = new pg.Pool({
    connectionString: config.url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: "panel-access-cli",
  });
  // A command runs a handful of statements: preparing them saves nothing, and
  // unnamed statements pass any pooler (PgBouncer before 1.21 included).
  const driver = pgDriver(pool, { logger, prepare: false });
  try {
    await pool.query("SELECT 1");
  } catch (cause) {
    await pool.end().catch(() => {});
    return err({ type: "DATABASE_UNREACHABLE", where: config.where, code: errorCode(cause) });
  }
  return ok({
    driver,
    schema: config.schema,
    where: config.where,
    close: () => pool.end(),
  });
}

/**
 * What may be said of an error: its `code` (a Node.js system error's, or a
 * SQLSTATE), `TIMEOUT` for pg's connection timeout, else its name. Never its
 * message, which may carry connection details.
 */
export function errorCode(cause: unknown): string {
  if (typeof cause === "object" && cause !== null) {
    const { code, message, name } = cause as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === "string" && /^[A-Za-z0-9_]{1,32}$/.test(code)) return code;
    if (typeof message === "string" && /timeout/i.test(message)) return "TIMEOUT";
    if (typeof name === "string" && /^[A-Za-z0-9_]{1,64}$/.test(name)) return name;
  }
  return "Error";
}

/**
 * Whether an error came from the database or the connection to it, rather
 * than from a bug: its code is a SQLSTATE (`42P01`) or a system error's
 * (`ECONNRESET`, not Node's own `ERR_…`), or it is pg's message about a
 * connection that ended or timed out.
 */
export function isDatabaseError(cause: unknown): boolean {
  if (typeof cause !== "object" || cause === null) return false;
  const { code, message } = cause as { code?: unknown; message?: unknown };
  if (typeof code === "string") return /^[0-9A-Z]{5}$/.test(code) || /^E(?!RR_)[A-Z_]+$/.test(code);
  return typeof message === "string" && /^Connection terminated/.test(message);
}

/**
 * Runs `work` on the database of `config` and closes it after: exit 4 when
 * the database cannot be reached, or when `work` throws a database error
 * (said by its code); 70 when it throws anything else (a bug, said by its
 * name). Neither message is printed: it may carry connection details.
 */
export async function withDatabase(
  io: CliIo,
  config: DatabaseConfig,
  logger: Logger,
  work: (database: Database) => Promise<ExitCode>,
): Promise<ExitCode> {
  const opened = await openDatabase(config, logger);
  if (opened.isErr()) {
    const { where, code } = opened.error;
    complain(io, `the database at ${where} is unreachable (${code})`);
    return EXIT.database;
  }
  const database = opened.value;
  try {
    return await work(database);
  } catch (cause) {
    if (isDatabaseError(cause)) {
      complain(io, `the database at ${database.where} failed (${errorCode(cause)})`);
      return EXIT.database;
    }
    complain(io, `internal error (${errorCode(cause)}): please report it`);
    return EXIT.internal;
  } finally {
    await database.close().catch(() => {});
  }
}
