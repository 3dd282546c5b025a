import { readdir, readFile } from "node:fs/promises";
import { type Logger, logSafely, silentLogger } from "@panel-access/core";
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

/** The options of `migrate`: the schema, and where to say what it did. */
export interface MigrateOptions extends SchemaOptions {
  /**
   * Receives an `info` line "migration applied" for each file it applies
   * (`version`, `name`, `durationMs`), then "migrations done" (`applied`:
   * how many, `durationMs` in all, the lock's wait included).
   * @default silentLogger
   */
  readonly logger?: Logger;
}

/**
 * Creates or upgrades the schema. Idempotent; safe when several instances
 * start at once (a transaction-scoped advisory lock serialises them); records
 * what ran in `schema_migrations`. Answers the versions it applied, and
 * says what it did to `options.logger`.
 */
export async function migrate(driver: SqlDriver, options: MigrateOptions = {}): Promise<number[]> {
  const started = performance.now();
  const logger = options.logger ?? silentLogger;
  const since = (start: number) => Math.round(performance.now() - start);
  const schema = quotedSchema(options);
  const pending = await migrations();
  const ran = await driver.transaction(async (client) => {
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
    const ran: { version: number; name: string; durationMs: number }[] = [];
    for (const migration of pending) {
      if (applied.has(migration.version)) continue;
      const start = performance.now();
      await client.exec(migration.sql.replaceAll("{{schema}}", schema));
      await client.query(
        `INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`,
        [migration.version, migration.name],
      );
      ran.push({ version: migration.version, name: migration.name, durationMs: since(start) });
    }
    return ran;
  });
  // Said once committed: a migration that rolled back was not applied.
  for (const fields of ran) logSafely(logger, "info", "migration applied", fields);
  logSafely(logger, "info", "migrations done", { applied: ran.length, durationMs: since(started) });
  return ran.map((migration) => migration.version);
}
