/**
 * The storage and throttle ports on PostgreSQL (pg or PGlite): migrations, cleanup.
 *
 * @module @panel-access/adapter-postgres
 */
export { type CleanupOptions, type CleanupReport, cleanup } from "./cleanup.js";
export {
  countingDriver,
  pgDriver,
  pgliteDriver,
  type SqlClient,
  type SqlDriver,
} from "./driver.js";
export { type MigrateOptions, migrate } from "./migrate.js";
export { PostgresStore } from "./postgres-store.js";
export type { SchemaOptions } from "./schema.js";
export { PostgresThrottleStore } from "./throttle-store.js";
