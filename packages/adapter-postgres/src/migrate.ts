import { type Logger, logSafely, silentLogger } from "@panel-access/core";
import type { SqlDriver } from "./driver.js";
import { MIGRATIONS, type Migration, sqlOf } from "./migrations/index.js";
import { quotedSchema, type SchemaOptions } from "./schema.js";

/** The options of `migrate`: the schema, and where to say what it did. */
export interface MigrateOptions extends SchemaOptions {
  /**
   * Receives an `info` line "migration applied" for each migration it applies
   * (`version`, `name`, `durationMs`), then "migrations done" (`applied`:
   * how many, `durationMs` in all, the lock's wait included).
   * @default silentLogger
   */
  readonly logger?: Logger;
}

/** One migration `migrate` applied. */
export interface AppliedMigration {
  /** The migration's version (1, 2, …). */
  readonly version: number;
  /** Its name as `schema_migrations` records it, such as "001_initial.sql". */
  readonly name: string;
  /** How long its statements took, in whole milliseconds. */
  readonly durationMs: number;
}

/** What `migrate` did. */
export interface MigrateReport {
  /** The migrations it applied, in the order it applied them; empty when the schema was up to date. */
  readonly applied: readonly AppliedMigration[];
  /** The whole run in whole milliseconds, the advisory lock's wait included. */
  readonly durationMs: number;
}

/** A migration `schema_migrations` records. */
export interface RecordedMigration {
  /** The migration's version. */
  readonly version: number;
  /** Its name, such as "001_initial.sql". */
  readonly name: string;
  /** When it was applied (by `migrate` or by the script of `migrationSql`). */
  readonly appliedAt: Date;
}

/** A migration the package ships that the schema has not had yet. */
export interface PendingMigration {
  /** The migration's version. */
  readonly version: number;
  /** Its name, such as "006_audit_by_type.sql". */
  readonly name: string;
}

/** Where a schema stands: what `migrationStatus` answers. */
export interface MigrationStatus {
  /**
   * Every migration `schema_migrations` records, by ascending version
   * (one a newer release of the package applied included).
   */
  readonly applied: readonly RecordedMigration[];
  /** The package's migrations not recorded yet, in the order `migrate` would apply them. */
  readonly pending: readonly PendingMigration[];
}

/** What `migrationSql` prints: the schema, and where to start. */
export interface MigrationSqlOptions extends SchemaOptions {
  /**
   * The first version the script applies: those below it are left out (the
   * schema has them already; `migrationStatus` says which are pending). A
   * version past the last one gives a script that applies no migration.
   * An integer, at least 1, else `migrationSql` throws a `RangeError`.
   * @default 1 (every migration)
   */
  readonly from?: number;
}

/**
 * The statements that open a migration run in `schema`, `migrate`'s and the
 * printed script's alike: the advisory lock that serialises runs on the
 * schema (until the transaction ends), the schema and the table of applied
 * migrations.
 */
function preamble(schema: string): string {
  // The key is a literal: a schema name is a plain identifier in double quotes (quotedSchema).
  return `SELECT pg_advisory_xact_lock(hashtextextended('panel-access:migrate:${schema}', 0));
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
  version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());`;
}

/** The statement that records `migration` as applied in `schema`. */
function record(schema: string, migration: Migration): string {
  // Both values are the package's own: an integer and a name of [0-9a-z_.].
  return `INSERT INTO ${schema}.schema_migrations (version, name) VALUES (${migration.version}, '${migration.name}');`;
}

/**
 * Creates or upgrades the schema. Idempotent; safe when several instances
 * start at once (a transaction-scoped advisory lock serialises them, and the
 * script of `migrationSql` too); records what ran in `schema_migrations`.
 * The SQL is compiled into the package: nothing is read from files, so a
 * bundled application migrates as well.
 *
 * Answers what it applied, once committed, and says so to `options.logger`;
 * rejects, having applied nothing, when a migration fails (they run in one
 * transaction). Throws before any SQL runs on a schema name that is not a
 * plain identifier.
 */
export async function migrate(
  driver: SqlDriver,
  options: MigrateOptions = {},
): Promise<MigrateReport> {
  const started = performance.now();
  const logger = options.logger ?? silentLogger;
  const since = (start: number) => Math.round(performance.now() - start);
  const schema = quotedSchema(options);
  const applied = await driver.transaction(async (client) => {
    await client.exec(preamble(schema));
    const { rows } = await client.query<{ version: number }>(
      `SELECT version FROM ${schema}.schema_migrations`,
    );
    const done = new Set(rows.map((r) => Number(r.version)));
    const ran: AppliedMigration[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      const start = performance.now();
      await client.exec(`${sqlOf(migration, schema)}\n${record(schema, migration)}`);
      ran.push({ version: migration.version, name: migration.name, durationMs: since(start) });
    }
    return ran;
  });
  const durationMs = since(started);
  // Said once committed: a migration that rolled back was not applied.
  for (const fields of applied) logSafely(logger, "info", "migration applied", { ...fields });
  logSafely(logger, "info", "migrations done", { applied: applied.length, durationMs });
  return { applied, durationMs };
}

/**
 * Where the schema stands: the migrations `schema_migrations` records and
 * those the package ships that it does not. Read-only (a read-only
 * transaction); a schema or table that does not exist yet has every
 * migration pending. Throws on a schema name that is not a plain identifier.
 */
export async function migrationStatus(
  driver: SqlDriver,
  options: SchemaOptions = {},
): Promise<MigrationStatus> {
  const schema = quotedSchema(options);
  const rows = await driver.transaction(async (client) => {
    await client.query("SET TRANSACTION READ ONLY");
    const table = await client.query<{ exists: boolean }>(
      "SELECT to_regclass($1) IS NOT NULL AS exists",
      [`${schema}.schema_migrations`],
    );
    if (!table.rows[0]?.exists) return [];
    const recorded = await client.query<{ version: number; name: string; applied_at: unknown }>(
      `SELECT version, name, applied_at FROM ${schema}.schema_migrations ORDER BY version`,
    );
    return recorded.rows;
  });
  const applied = rows.map((row) => ({
    version: Number(row.version),
    name: row.name,
    appliedAt: new Date(row.applied_at as Date | string),
  }));
  const versions = new Set(applied.map((m) => m.version));
  const pending = MIGRATIONS.filter((m) => !versions.has(m.version)).map(({ version, name }) => ({
    version,
    name,
  }));
  return { applied, pending };
}

/**
 * The migrations as one SQL script for the schema, to run with a tool of
 * your own (`psql -v ON_ERROR_STOP=1 -f`, Flyway) instead of `migrate`: in
 * one transaction (BEGIN … COMMIT), it takes `migrate`'s advisory lock,
 * creates the schema and `schema_migrations` if missing, then runs each
 * migration from `options.from` on followed by the INSERT that records it.
 * Afterwards `migrate` finds them applied. The script is meant for a schema
 * that has none of them yet: a migration already applied fails it (and the
 * transaction rolls back). The schema name is quoted as `migrate` quotes it.
 * Throws on a schema name that is not a plain identifier, and a `RangeError`
 * on a `from` that is not an integer of at least 1.
 */
export function migrationSql(options: MigrationSqlOptions = {}): string {
  const schema = quotedSchema(options);
  const from = options.from ?? 1;
  if (!Number.isInteger(from) || from < 1) {
    throw new RangeError(`from: a migration version, an integer of at least 1 (got ${from})`);
  }
  const included = MIGRATIONS.filter((m) => m.version >= from);
  const parts = [
    `-- panel-access: the schema ${schema}, migrations ${
      included.length === 0
        ? "none"
        : `${included[0]?.name} to ${included[included.length - 1]?.name}`
    }.`,
    "-- Run it in one go (psql -v ON_ERROR_STOP=1 -f …); migrate() then finds them applied.",
    "BEGIN;",
    preamble(schema),
    ...included.map((m) => `\n-- ${m.name}\n${sqlOf(m, schema).trimEnd()}\n${record(schema, m)}`),
    "\nCOMMIT;\n",
  ];
  return parts.join("\n");
}
