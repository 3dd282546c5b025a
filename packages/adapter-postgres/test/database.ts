import { openTestDatabase, type TestDatabase } from "@panel-access/test-support/postgres";
import { migrate, pgDriver, type SqlDriver } from "../src/index.js";
import { pgliteDriver } from "../src/pglite.js";

/** A fresh schema for one test file, migrated by this adapter; `drop()` removes it. */
export function testDatabase(kind: "server" | "pglite"): Promise<TestDatabase<SqlDriver>> {
  return openTestDatabase(kind, { migrate, pgDriver, pgliteDriver });
}
