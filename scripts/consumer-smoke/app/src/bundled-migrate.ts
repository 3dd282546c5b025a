/**
 * An app bundled with esbuild into one file: it must migrate a fresh
 * schema with no SQL file beside it (the SQL is part of the code).
 */
import { randomBytes } from "node:crypto";
import { migrate, migrationStatus, pgDriver } from "@panel-access/adapter-postgres";
import pg from "pg";

const schema = `smoke_${randomBytes(6).toString("hex")}`;
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
});
try {
  const driver = pgDriver(pool);
  const report = await migrate(driver, { schema });
  const status = await migrationStatus(driver, { schema });
  if (report.applied.length === 0 || status.pending.length > 0) {
    throw new Error(`migrate applied ${report.applied.length}, ${status.pending.length} pending`);
  }
  console.log(
    `bundle: migrated ${schema}: ${report.applied.map((m) => m.name).join(", ")}; nothing pending`,
  );
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
}
