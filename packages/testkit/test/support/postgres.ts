import { migrate, pgDriver, type SqlDriver } from "@panel-access/adapter-postgres";
import { pgliteDriver } from "@panel-access/adapter-postgres/pglite";
import { openTestDatabase, type TestDatabase } from "@panel-access/test-support/postgres";

/** A fresh schema for one test file, migrated by adapter-postgres; `drop()` removes it. */
export function testDatabase(kind: "server" | "pglite"): Promise<TestDatabase<SqlDriver>> {
  return openTestDatabase(kind, { migrate, pgDriver, pgliteDriver });
}
