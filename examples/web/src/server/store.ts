import { MemoryStore } from "@panel-access/adapter-memory";
import { migrate, PostgresStore, pgDriver } from "@panel-access/adapter-postgres";
import type { StoragePort } from "@panel-access/core";
import pg from "pg";

/** The store on `databaseUrl` (its schema migrated), or in memory without one; and how to close it. */
export async function openStore(
  databaseUrl: string | undefined,
): Promise<{ store: StoragePort; closeStore: () => Promise<void> }> {
  if (!databaseUrl) return { store: new MemoryStore(), closeStore: async () => {} };
  const pool = new pg.Pool({ connectionString: databaseUrl });
  try {
    await migrate(pgDriver(pool), { schema: "panel_access_example" });
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    store: new PostgresStore(pgDriver(pool), { schema: "panel_access_example" }),
    closeStore: () => pool.end(),
  };
}
