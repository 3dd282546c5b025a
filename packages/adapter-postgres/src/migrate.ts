import { readdir, readFile } from "node:fs/promises";
import type { SqlDriver } from "./driver.js";
import { quotedSchema, type SchemaOptions } from "./schema.js";

const MIGRATIONS = new URL("../migrations/", import.meta.url);

/** One versioned SQL file shipped in the package. */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

async function migrations(): Promise<Migration[]> {
  const files = (await readdir(MIGRATIONS)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (name) => ({
      version: Number(name.slice(0, 3)),
      name,
      sql: await readFile(new URL(name, MIGRATIONS), "utf8"),
    })),
  );
}

/**
 * Creates or upgrades the schema. Idempotent; safe when several instances
 * start at once (a transaction-scoped advisory lock serialises them); records
 * what ran in `schema_migrations`. Answers the versions it applied.
 */
export async function migrate(driver: SqlDriver, options: SchemaOptions = {}): Promise<number[]> {
  const schema = quotedSchema(options);
  const pending = await migrations();
  return driver.transaction(async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `panel-access:migrate:${schema}`,
    ]);
    await client.exec(`CREATE SCHEMA IF NOT EXISTS ${schema};
      CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>(
      `SELECT version FROM ${schema}.schema_migrations`,
    );
    const applied = new Set(rows.map((r) => Number(r.version)));
    const ran: number[] = [];
    for (const migration of pending) {
      if (applied.has(migration.version)) continue;
      await client.exec(migration.sql.replaceAll("{{schema}}", schema));
      await client.query(
        `INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`,
        [migration.version, migration.name],
      );
      ran.push(migration.version);
    }
    return ran;
  });
}
