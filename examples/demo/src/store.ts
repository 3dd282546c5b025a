import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { MemoryStore } from "@panel-access/adapter-memory";
import { migrate, PostgresStore, pgDriver } from "@panel-access/adapter-postgres";
import { pgliteDriver } from "@panel-access/adapter-postgres/pglite";
import type { StoragePort } from "@panel-access/core";
import pg from "pg";

export type StoreKind = "memory" | "postgres" | "pglite";

/** `--store=memory|postgres|pglite` (or `PANEL_ACCESS_STORE`). @default "memory" */
export function storeKindFrom(argv: readonly string[]): StoreKind {
  const flag = argv.find((a) => a.startsWith("--store="))?.slice("--store=".length);
  const kind = flag ?? process.env.PANEL_ACCESS_STORE ?? "memory";
  if (kind !== "memory" && kind !== "postgres" && kind !== "pglite") {
    throw new Error(`unknown store "${kind}": use memory, postgres or pglite`);
  }
  return kind;
}

/** A store of that kind, and how to dispose of it (Postgres: a throwaway schema, dropped at the end). */
export async function openStore(
  kind: StoreKind,
): Promise<{ store: StoragePort; describe: string; close(): Promise<void> }> {
  if (kind === "memory")
    return { store: new MemoryStore(), describe: "the in-memory adapter", close: async () => {} };
  const schema = `panel_access_demo_${randomBytes(4).toString("hex")}`;
  if (kind === "pglite") {
    const db = await PGlite.create();
    const driver = pgliteDriver(db);
    await migrate(driver, { schema });
    return {
      store: new PostgresStore(driver, { schema }),
      describe: "PGlite (embedded Postgres)",
      close: () => db.close(),
    };
  }
  const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const pool = new pg.Pool({ connectionString: url });
  const driver = pgDriver(pool);
  await migrate(driver, { schema });
  return {
    store: new PostgresStore(driver, { schema }),
    describe: `PostgreSQL at ${url.replace(/\/\/[^@]*@/, "//")}, schema ${schema}`,
    async close() {
      await driver.transaction((c) => c.exec(`DROP SCHEMA "${schema}" CASCADE`));
      await pool.end();
    },
  };
}
