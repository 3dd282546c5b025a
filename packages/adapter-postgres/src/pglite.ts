/**
 * The driver for PGlite (real Postgres in WebAssembly, embedded), on a
 * subpath of its own so that the package's main entry never mentions
 * `@electric-sql/pglite`: applications on `pg` need neither it nor its types.
 *
 * ```ts
 * import { PGlite } from "@electric-sql/pglite";
 * import { migrate, PostgresStore } from "@panel-access/adapter-postgres";
 * import { pgliteDriver } from "@panel-access/adapter-postgres/pglite";
 * ```
 *
 * @module @panel-access/adapter-postgres/pglite
 */
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type { SqlClient, SqlDriver } from "./driver.js";

/** A driver over an embedded PGlite database: real Postgres in WebAssembly, one connection. */
export function pgliteDriver(db: PGlite): SqlDriver {
  const clientOf = (tx: Transaction): SqlClient => ({
    query: async (sql, params) => {
      const result = await tx.query(sql, params as unknown[] | undefined);
      return { rows: result.rows as never[] };
    },
    exec: async (sql) => {
      await tx.exec(sql);
    },
  });
  return {
    transaction: (work) => db.transaction((tx) => work(clientOf(tx))),
    statement: async (sql, params) => {
      const result = await db.query(sql, params as unknown[] | undefined);
      return { rows: result.rows as never[] };
    },
  };
}
