import type { SqlClient } from "../driver.js";

/**
 * A transaction's connection that can hold INSERTs back and send them
 * together: fewer round trips per unit of work.
 */
export interface BatchingClient extends SqlClient {
  /**
   * Queues an INSERT without RETURNING. The queued INSERTs go to the server
   * as one statement right before the next statement of the transaction, or
   * before its COMMIT: a later read sees them, and a failure (a taken id)
   * fails the unit of work as it would have.
   */
  defer(sql: string, params: readonly unknown[]): void;
  /** Sends what is queued, if anything. */
  flush(): Promise<void>;
}

/**
 * Renumbers the `$n` parameters of `sql` by `offset`. Every `$` of a queued
 * statement must be a parameter: one with a quoted text or a dollar-quoted
 * body is refused (`defer`), since renumbering would change it.
 */
const shifted = (sql: string, offset: number) =>
  offset === 0 ? sql : sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);

/** Whether every `$` of `sql` starts a parameter and it has no quoted text. */
const renumberable = (sql: string) => !/'|\$(?!\d)/.test(sql);

/**
 * `client` with a queue of INSERTs. Several queued INSERTs are sent as one
 * statement, each a data-modifying `WITH` part (`WITH w0 AS (INSERT …),
 * w1 AS (INSERT …) SELECT 1`); only INSERTs are queued, so no part reads
 * or changes a row another part writes.
 */
export function writeBatch(client: SqlClient): BatchingClient {
  let queued: { sql: string; params: readonly unknown[] }[] = [];
  const flush = async () => {
    if (queued.length === 0) return;
    const batch = queued;
    queued = [];
    const [only] = batch;
    if (batch.length === 1 && only !== undefined) {
      await client.query(only.sql, only.params);
      return;
    }
    const parts: string[] = [];
    const params: unknown[] = [];
    for (const [i, write] of batch.entries()) {
      parts.push(`w${i} AS (${shifted(write.sql, params.length)})`);
      params.push(...write.params);
    }
    await client.query(`WITH ${parts.join(", ")} SELECT 1`, params);
  };
  return {
    defer(sql, params) {
      if (!renumberable(sql))
        throw new Error("a queued INSERT may hold no quoted text nor $ but parameters");
      queued.push({ sql, params });
    },
    flush,
    async query(sql, params, options) {
      await flush();
      return client.query(sql, params, options);
    },
    async exec(sql) {
      await flush();
      return client.exec(sql);
    },
  };
}
