import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/** `DATABASE_URL`, or the local server this machine runs. */
export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Whether a real server answers. In CI (`CI=true`) one must: no silent fallback there. */
export async function serverAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (cause) {
    if (process.env.CI === "true") {
      throw new Error(`CI needs the PostgreSQL server at ${DATABASE_URL}: ${String(cause)}`);
    }
    return false;
  }
}

/** The server when it answers, else PGlite, saying so once. */
export async function serverOrPglite(): Promise<"server" | "pglite"> {
  if (await serverAvailable()) return "server";
  console.warn(
    `No PostgreSQL server at ${DATABASE_URL}: these tests run on PGlite (embedded Postgres) instead.`,
  );
  return "pglite";
}

/**
 * What a test database needs of `@panel-access/adapter-postgres`, handed in
 * by the test (`{ migrate, pgDriver, pgliteDriver }`): shared test
 * infrastructure imports no adapter.
 */
export interface PostgresAdapter<Driver> {
  pgDriver(pool: pg.Pool): Driver;
  pgliteDriver(db: PGlite): Driver;
  migrate(driver: Driver, options: { schema: string }): Promise<unknown>;
}

/** A fresh schema for one test file, migrated; `drop()` removes it and closes every pool. */
export interface TestDatabase<Driver> {
  readonly kind: "server" | "pglite";
  readonly schema: string;
  /** The driver of the first connection (pool). */
  readonly driver: Driver;
  /** Another pool on the same database: another application instance (the server only). */
  newPool(): { driver: Driver; pool: pg.Pool | null };
  drop(): Promise<void>;
}

/** Creates a fresh schema on the server or in a new PGlite, and migrates it with `adapter`. */
export async function openTestDatabase<Driver>(
  kind: "server" | "pglite",
  adapter: PostgresAdapter<Driver>,
): Promise<TestDatabase<Driver>> {
  const schema = `pa_test_${randomBytes(6).toString("hex")}`;
  if (kind === "pglite") {
    const db = await PGlite.create();
    const driver = adapter.pgliteDriver(db);
    await adapter.migrate(driver, { schema });
    return {
      kind,
      schema,
      driver,
      newPool: () => ({ driver, pool: null }),
      drop: () => db.close(),
    };
  }
  const pools: pg.Pool[] = [];
  const newPool = () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 8 });
    pools.push(pool);
    return { driver: adapter.pgDriver(pool), pool };
  };
  const first = newPool();
  await adapter.migrate(first.driver, { schema });
  return {
    kind,
    schema,
    driver: first.driver,
    newPool,
    async drop() {
      await first.pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      await Promise.all(pools.map((p) => p.end()));
    },
  };
}
