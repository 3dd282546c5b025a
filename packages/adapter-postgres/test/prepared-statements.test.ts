import { DATABASE_URL, serverAvailable } from "@panel-access/test-support/postgres";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrate, PostgresStore, pgDriver } from "../src/index.js";

/**
 * pgDriver's `prepare` option on a real server (PGlite has no pool): one
 * connection, so what it prepared can be read back from
 * `pg_prepared_statements` on that same connection.
 */
const onServer = await serverAvailable();
const schema = `pa_test_prepare_${Math.random().toString(36).slice(2, 10)}`;
const pools: pg.Pool[] = [];
const onePool = () => {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  pools.push(pool);
  return pool;
};
afterAll(async () => {
  if (onServer) await pools[0]?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await Promise.all(pools.map((pool) => pool.end()));
});

const prepared = async (pool: pg.Pool) =>
  (await pool.query("SELECT name FROM pg_prepared_statements WHERE name LIKE 'pa\\_%'")).rows.map(
    (row: { name: string }) => row.name,
  );

describe.runIf(onServer)("pgDriver's prepared statements", () => {
  it("SES-3, AUD-2: with the default prepare, the session read is prepared once on a connection and reused, the audit listing never; with prepare: false nothing is", async () => {
    const named = onePool();
    await migrate(pgDriver(named), { schema });
    const store = new PostgresStore(pgDriver(named), { schema });
    expect(await store.readSession("no-such-session")).toBeNull();
    const once = await prepared(named);
    expect(once).toHaveLength(1);
    expect(await store.readSession("still-no-such-session")).toBeNull();
    expect(await prepared(named)).toEqual(once);
    // The audit listing's text follows the caller's filters: never named.
    for (const types of [["sessions.revoked"], ["login.completed", "sessions.revoked"]] as const) {
      await store.transact({}, (tx) => tx.listAuditEvents({ limit: 5, types: [...types] }));
    }
    expect(await prepared(named)).toEqual(once);

    const unnamed = onePool();
    const plain = new PostgresStore(pgDriver(unnamed, { prepare: false }), { schema });
    expect(await plain.readSession("no-such-session")).toBeNull();
    expect(await prepared(unnamed)).toEqual([]);
  });
});
