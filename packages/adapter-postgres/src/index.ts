/**
 * The storage and throttle ports on PostgreSQL (pg or PGlite): migrations, cleanup.
 * PGlite's driver is on its own subpath, `@panel-access/adapter-postgres/pglite`.
 *
 * @module @panel-access/adapter-postgres
 */
export { type CleanupOptions, type CleanupReport, cleanup } from "./cleanup.js";
export {
  countingDriver,
  type PgPoolClientLike,
  type PgPoolLike,
  type PreparedQuery,
  pgDriver,
  type QueryOptions,
  type SqlClient,
  type SqlDriver,
} from "./driver.js";
export {
  type AppliedMigration,
  type MigrateOptions,
  type MigrateReport,
  type MigrationSqlOptions,
  type MigrationStatus,
  migrate,
  migrationSql,
  migrationStatus,
  type PendingMigration,
  type RecordedMigration,
} from "./migrate.js";
export { PostgresStore } from "./postgres-store.js";
export type { SchemaOptions } from "./schema.js";
export { PostgresThrottleStore } from "./throttle-store.js";
