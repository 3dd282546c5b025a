import { runStorageContract, runThrottleContract } from "@panel-access/core/contracts";
import { openPgBouncerDatabase } from "@panel-access/test-support/pgbouncer";
import { afterAll } from "vitest";
import { migrate, PostgresStore, PostgresThrottleStore, pgDriver } from "../src/index.js";

/**
 * The shared contracts through PgBouncer in transaction pooling mode (issue
 * 18), started by the test on a free port of 127.0.0.1: 4 pools of 8
 * connections each (4 application instances, up to 32 client connections)
 * share PgBouncer's 8 server connections. The schema is migrated through
 * PgBouncer too. The parallel tests and the use-case races prove LCK-7,
 * ACC-8, ACC-4, ACC-1, TFA-10, TFA-5 and TFA-12 across instances behind one
 * pooler; the throttle contract LCK-9. A missing PgBouncer or server fails
 * this file, in CI and outside it.
 */
const INSTANCES = 4;
const database = await openPgBouncerDatabase({
  migrate,
  // Named statements do not survive transaction pooling before PgBouncer 1.21 (docs/postgres.md).
  pgDriver: (pool) => pgDriver(pool, { prepare: false }),
});
afterAll(() => database.drop());

/** One pool per application instance, made once; pool 0 is the database's first. */
const drivers = [database.driver];
for (let i = 1; i < INSTANCES; i++) drivers.push(database.newPool().driver);
const options = { schema: database.schema };
function instance<T>(list: readonly T[], i: number): T {
  const found = list[i];
  if (found === undefined) throw new Error(`no application instance ${i}`);
  return found;
}

const stores = drivers.map((d) => new PostgresStore(d, options));
runStorageContract(`adapter-postgres through PgBouncer (transaction pooling), ${INSTANCES} pools`, {
  createStore: () => instance(stores, 0),
  createPeer: (_store, i) => instance(stores, i),
  instances: INSTANCES,
});

const throttles = drivers.map((d) => new PostgresThrottleStore(d, options));
runThrottleContract(
  `adapter-postgres through PgBouncer (transaction pooling), ${INSTANCES} pools`,
  {
    createStore: () => instance(throttles, 0),
    createPeer: (_store, i) => instance(throttles, i),
    instances: INSTANCES,
  },
);
