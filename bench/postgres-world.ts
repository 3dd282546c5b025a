/**
 * The PostgreSQL side of the benches: a pool on DATABASE_URL, a fresh schema
 * migrated for this run (dropped by `close`), and library instances on it with
 * the bench options (production argon2id parameters).
 */
import { randomBytes } from "node:crypto";
import { countingDriver, migrate, PostgresStore, pgDriver } from "@panel-access/adapter-postgres";
import {
  createPanelAccess,
  OWASP_ARGON2ID,
  type PanelAccessOptions,
  type StoragePort,
  type ThrottleStore,
} from "@panel-access/core";
import { ManualClock, RecordingMailer, testTwoFactorOptions } from "@panel-access/testkit";
import pg from "pg";
import type { BenchWorld } from "./seed.js";

export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** The options every bench instance uses: the production argon2id parameters (PWD-1). */
export function benchOptions(): PanelAccessOptions {
  return {
    appUrl: "https://app.example.test",
    argon2: OWASP_ARGON2ID,
    twoFactor: testTwoFactorOptions(),
  };
}

/** What a bench may change in a world: a clock shared with another world, the store wrapped. */
export interface WorldParts {
  readonly clock?: ManualClock;
  readonly store?: (store: StoragePort) => StoragePort;
}

export interface PostgresBench {
  readonly pool: pg.Pool;
  /** The pool's `max`: how many connections the library may hold at once. */
  readonly poolSize: number;
  readonly schema: string;
  /** Counts the statements run through `world`'s store. */
  readonly counting: ReturnType<typeof countingDriver>;
  /**
   * A library instance on the schema (Postgres store, manual clock, recording
   * mailer); throttle counters in `throttleStore` if given, else the
   * library's default (in this process); `parts` may share a clock or wrap the store.
   */
  world(options: PanelAccessOptions, throttleStore?: ThrottleStore, parts?: WorldParts): BenchWorld;
  /** Drops the schema and closes the pool. */
  close(): Promise<void>;
}

/**
 * Connects with a pool of `poolSize` connections and migrates a fresh schema
 * `<prefix>_<random>`; answers null, after saying so on the console, when no
 * server answers at DATABASE_URL.
 */
export async function openPostgres(
  prefix: string,
  what: string,
  poolSize = 20,
): Promise<PostgresBench | null> {
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: poolSize,
    connectionTimeoutMillis: 3000,
  });
  try {
    await pool.query("SELECT 1");
  } catch (cause) {
    console.log(`\n${what} skipped: no PostgreSQL server at ${DATABASE_URL} (${String(cause)})`);
    await pool.end();
    return null;
  }
  const schema = `${prefix}_${randomBytes(4).toString("hex")}`;
  const counting = countingDriver(pgDriver(pool));
  await migrate(counting.driver, { schema });
  return {
    pool,
    poolSize,
    schema,
    counting,
    world(options, throttleStore, parts = {}) {
      const clock = parts.clock ?? new ManualClock();
      const mailer = new RecordingMailer();
      const postgresStore = new PostgresStore(counting.driver, { schema });
      const store = parts.store ? parts.store(postgresStore) : postgresStore;
      const ports = { store, clock, mailer, ...(throttleStore && { throttleStore }) };
      return { panelAccess: createPanelAccess(ports, options), clock, mailer };
    },
    async close() {
      await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

/** DATABASE_URL without its credentials, for the console. */
export const shownUrl = () => DATABASE_URL.replace(/\/\/[^@]*@/, "//");
