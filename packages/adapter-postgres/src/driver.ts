import { createHash } from "node:crypto";
import { type Logger, logSafely, silentLogger } from "@panel-access/core";

/** How one statement is sent. */
export interface QueryOptions {
  /**
   * `false`: never prepare this statement under a name, whatever the
   * driver's `prepare` option: for statements whose text varies with the
   * caller's input (the audit listing's filters), which would otherwise
   * leave one prepared statement per variant on every connection.
   * @default true (the driver decides)
   */
  readonly prepare?: boolean;
}

/** The little SQL the adapter needs: parameterised queries, and a multi-statement script for migrations. */
export interface SqlClient {
  /** Runs one parameterised statement (`$1`, `$2`…) and answers its rows. */
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<{ rows: R[] }>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** A database the adapter can open transactions on. Both `pg` and PGlite fit it. */
export interface SqlDriver {
  /**
   * Runs `work` in one transaction on one connection: COMMIT when it resolves,
   * ROLLBACK when it rejects (the rejection is passed on).
   */
  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T>;
  /**
   * Optional: `transaction`, with `prelude` (statements without parameters,
   * separated by `;`) sent in the same round trip as its BEGIN. The store
   * takes a unit of work's advisory locks this way. Without it, the store
   * runs the prelude as the transaction's first statement (one more round
   * trip).
   */
  transactionWith?<T>(prelude: string, work: (client: SqlClient) => Promise<T>): Promise<T>;
  /**
   * Optional: runs one statement on its own (its own transaction, no BEGIN
   * and COMMIT round trips). The session check's read and the throttle
   * store's count use it; without it, they run in `transaction`.
   */
  statement?<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: R[] }>;
}

/** A listener for a connection's or a pool's `'error'` event. */
type ErrorListener = (error: Error & { code?: string }) => void;

/**
 * What `pgDriver` uses of a connection checked out of a pool: `pg`'s
 * `PoolClient` fits it. Declared here so that the package's types do not
 * need `@types/pg`.
 */
export interface PgPoolClientLike {
  /** Runs a statement (with `$1`, `$2`… parameters when `params` is given). */
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Runs a statement prepared under `name` on this connection (prepared once, then reused). */
  query(statement: PreparedQuery): Promise<{ rows: unknown[] }>;
  /** Gives the connection back to the pool; with an error, the pool discards it. */
  release(error?: Error): void;
  /** Listens for the connection's `'error'` event. */
  on(event: "error", listener: ErrorListener): unknown;
  /** Stops listening. */
  off(event: "error", listener: ErrorListener): unknown;
}

/**
 * What `pgDriver` uses of a pool: a `pg.Pool` fits it (the package's types
 * do not need `@types/pg`).
 */
export interface PgPoolLike {
  /** Checks a connection out. */
  connect(): Promise<PgPoolClientLike>;
  /** Runs one statement on a connection of its own. */
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Runs one statement, prepared under `name`, on a connection of its own. */
  query(statement: PreparedQuery): Promise<{ rows: unknown[] }>;
  /** Listens for the `'error'` of an idle connection the pool has discarded. */
  on(event: "error", listener: ErrorListener): unknown;
}

/** A statement `pg` prepares once per connection under `name`, then only binds and executes. */
export interface PreparedQuery {
  readonly name: string;
  readonly text: string;
  readonly values: unknown[];
}

/** At most this many distinct statement texts get a name; any further one runs unnamed. */
const MAX_PREPARED = 500;

/**
 * Names statements by their text (`pa_` and 20 hex digits of its SHA-1), so
 * that each connection parses and plans a statement once and then only binds
 * it: the planning of the session check's read costs about as much as running it.
 */
function statementNamer(): (sql: string) => string | undefined {
  const names = new Map<string, string>();
  return (sql) => {
    const known = names.get(sql);
    if (known !== undefined || names.size >= MAX_PREPARED) return known;
    const name = `pa_${createHash("sha1").update(sql).digest("hex").slice(0, 20)}`;
    names.set(sql, name);
    return name;
  };
}

/** The loggers each guarded pool reports to: one `'error'` listener per pool, however many drivers. */
const loggersOfPool = new WeakMap<PgPoolLike, Set<Logger>>();

/**
 * pg's pool emits `'error'` when an idle connection dies (a server restart,
 * `pg_terminate_backend`, a dropped network) and has already discarded it;
 * without a listener that is an uncaught exception and the host exits.
 */
function guardPool(pool: PgPoolLike, logger: Logger): void {
  const known = loggersOfPool.get(pool);
  if (known) {
    known.add(logger);
    return;
  }
  const loggers = new Set([logger]);
  loggersOfPool.set(pool, loggers);
  pool.on("error", (error) => {
    // The code only (57P01 for a termination): a message may carry connection details.
    for (const each of loggers) {
      logSafely(each, "warn", "idle database connection lost", { code: error.code ?? null });
    }
  });
}

/**
 * A driver over a `pg.Pool` (any {@link PgPoolLike}) the host owns (and ends).
 *
 * It makes the pool safe to leave idle: it adds one `'error'` listener to the
 * pool (once per pool, however often `pgDriver` is called on it), so an idle
 * connection that dies is reported and dropped instead of crashing the
 * process; the next unit of work gets a fresh connection. A unit of work
 * whose connection dies while it runs rejects (the use case answers
 * `STORAGE_FAILED`) and its connection is not reused.
 */
export function pgDriver(
  pool: PgPoolLike,
  options: {
    /**
     * Receives a `warn` "idle database connection lost" with the error's
     * SQLSTATE `code` (or `null`) whenever the pool drops a dead idle
     * connection. Several drivers on one pool with different loggers each
     * report to their own. @default silentLogger (nothing written)
     */
    readonly logger?: Logger;
    /**
     * Prepares each parameterised statement once per connection, under a
     * name derived from its text, and reuses it (PostgreSQL then skips
     * parsing and planning). Turn it off behind a pooler that cannot carry
     * named statements from one transaction to the next: PgBouncer in
     * transaction mode before 1.21, or with `max_prepared_statements = 0`.
     * @default true
     */
    readonly prepare?: boolean;
  } = {},
): SqlDriver {
  guardPool(pool, options.logger ?? silentLogger);
  const nameOf = options.prepare === false ? () => undefined : statementNamer();
  /** Runs `sql` on `on` (a connection or the pool), prepared under a name when it has parameters. */
  const run = (
    on: Pick<PgPoolClientLike, "query">,
    sql: string,
    params: readonly unknown[] | undefined,
    options?: QueryOptions,
  ) => {
    const name = params === undefined || options?.prepare === false ? undefined : nameOf(sql);
    return name === undefined
      ? on.query(sql, params as unknown[] | undefined)
      : on.query({ name, text: sql, values: params as unknown[] });
  };
  const clientOf = (connection: PgPoolClientLike): SqlClient => ({
    query: async <R>(sql: string, params?: readonly unknown[], options?: QueryOptions) => {
      const result = await run(connection, sql, params, options);
      return { rows: result.rows as R[] };
    },
    exec: async (sql) => {
      await connection.query(sql);
    },
  });
  const transactionWith = async <T>(
    prelude: string,
    work: (client: SqlClient) => Promise<T>,
  ): Promise<T> => {
    const connection = await pool.connect();
    let broken: Error | undefined;
    // pg emits `error` on a checked-out client whose connection dies; without a
    // listener that is an uncaught exception in the host. The failing query
    // rejects with the same cause, so remember it and let the query report it.
    const onError = (error: Error) => {
      broken = error;
    };
    connection.on("error", onError);
    try {
      // One round trip: a string of several statements without parameters
      // goes as one simple query, run in order, each with its own snapshot.
      await connection.query(prelude === "" ? "BEGIN" : `BEGIN; ${prelude}`);
      const value = await work(clientOf(connection));
      await connection.query("COMMIT");
      return value;
    } catch (cause) {
      try {
        await connection.query("ROLLBACK");
      } catch (rollbackFailure) {
        // The connection itself is gone: do not hand it to anyone else.
        broken =
          rollbackFailure instanceof Error ? rollbackFailure : new Error(String(rollbackFailure));
      }
      throw cause;
    } finally {
      connection.off("error", onError);
      connection.release(broken);
    }
  };
  return {
    transaction: (work) => transactionWith("", work),
    transactionWith,
    async statement<R>(sql: string, params?: readonly unknown[]) {
      // pool.query checks a connection out, listens for its errors and releases it.
      const result = await run(pool, sql, params);
      return { rows: result.rows as R[] };
    },
  };
}

/**
 * Counts the round trips a driver makes to the server, for the benchmark:
 * each statement is one, a BEGIN is one (with the prelude it carries), a
 * COMMIT or ROLLBACK is one.
 */
export function countingDriver(driver: SqlDriver): {
  /** The driver to hand the store: it counts what goes through it. */
  driver: SqlDriver;
  /** Round trips since the start or the last `reset()`, BEGIN and COMMIT included. */
  statements: () => number;
  /** Starts counting from zero. */
  reset: () => void;
} {
  let statements = 0;
  const counted = (client: SqlClient): SqlClient => ({
    query: (sql, params, options) => {
      statements++;
      return client.query(sql, params, options);
    },
    exec: (sql) => {
      statements++;
      return client.exec(sql);
    },
  });
  const { transactionWith, statement } = driver;
  return {
    statements: () => statements,
    reset: () => {
      statements = 0;
    },
    driver: {
      transaction: (work) => {
        statements += 2; // BEGIN, COMMIT or ROLLBACK
        return driver.transaction((client) => work(counted(client)));
      },
      ...(transactionWith && {
        transactionWith: <T>(prelude: string, work: (client: SqlClient) => Promise<T>) => {
          statements += 2; // BEGIN with its prelude, COMMIT or ROLLBACK
          return transactionWith.call(driver, prelude, (client) =>
            work(counted(client)),
          ) as Promise<T>;
        },
      }),
      ...(statement && {
        statement: <R>(sql: string, params?: readonly unknown[]) => {
          statements++;
          return statement.call(driver, sql, params) as Promise<{ rows: R[] }>;
        },
      }),
    },
  };
}
