import { randomBytes, randomInt } from "node:crypto";
import { openPgBouncerDatabase, startPgBouncer } from "@panel-access/test-support/pgbouncer";
import { DATABASE_URL } from "@panel-access/test-support/postgres";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrate, migrationStatus, PostgresStore, pgDriver } from "../src/index.js";

/**
 * What transaction pooling keeps and what it breaks (issue 18,
 * docs/postgres.md "PgBouncer"), on a PgBouncer this file starts on a free
 * port of 127.0.0.1. The contracts through it are in
 * pgbouncer-contract.test.ts. A missing PgBouncer or server fails this file.
 */
const database = await openPgBouncerDatabase({
  migrate,
  // Named statements do not survive transaction pooling before PgBouncer 1.21 (docs/postgres.md).
  pgDriver: (pool) => pgDriver(pool, { prepare: false }),
});
const observer = new pg.Client({ connectionString: DATABASE_URL });
await observer.connect();
afterAll(async () => {
  await observer.end();
  await database.drop();
});

/** 4 application instances: the first pool and 3 more, 8 client connections each. */
const instances = [database.driver, ...[1, 2, 3].map(() => database.newPool().driver)];

/** Polls `check` until it holds (at most 400 times, 25 ms apart); throws naming `what` if it never does. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never happened: ${what}`);
}

/** A row of PgBouncer's admin console (`SHOW POOLS`, `SHOW CONFIG`), through a client of its own. */
async function admin(command: string): Promise<Record<string, string>[]> {
  const client = new pg.Client({ connectionString: database.bouncer.adminUrl });
  await client.connect();
  try {
    return (await client.query(command)).rows;
  } finally {
    await client.end();
  }
}

describe("adapter-postgres through PgBouncer in transaction pooling mode", () => {
  it("PgBouncer listens on 127.0.0.1 only, in pool_mode transaction", async () => {
    const config = new Map((await admin("SHOW CONFIG")).map((row) => [row.key, row.value]));
    expect(config.get("pool_mode")).toBe("transaction");
    expect(config.get("listen_addr")).toBe("127.0.0.1");
    expect(Number(config.get("default_pool_size"))).toBe(database.bouncer.poolSize);
  });

  it("32 units of work of 4 pools waiting on one transaction-scoped advisory lock hold only default_pool_size (8) server connections; all commit once it is released", async () => {
    const [classId, objectId] = [4242, randomInt(1, 2 ** 31 - 1)];
    const holder = new pg.Client({ connectionString: DATABASE_URL }); // directly on the server
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock($1, $2)", [classId, objectId]);
      const work = Array.from({ length: 32 }, (_, i) =>
        instances[i % instances.length]?.transaction(async (client) => {
          await client.query("SELECT pg_advisory_xact_lock($1, $2)", [classId, objectId]);
          const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
          return rows[0]?.pid;
        }),
      );
      const waiting = async () =>
        Number(
          (
            await observer.query(
              `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
                 AND classid = $1 AND objid = $2 AND objsubid = 2`,
              [classId, objectId],
            )
          ).rows[0]?.n,
        );
      const queued = async () =>
        (await admin("SHOW POOLS"))
          .filter((row) => row.database !== "pgbouncer")
          .reduce((sum, row) => sum + Number(row.cl_waiting), 0);
      // 8 wait on the server with a connection each; the 24 others wait in PgBouncer for one.
      await until("8 waiting on the lock, 24 queued in PgBouncer", async () => {
        return (await waiting()) === database.bouncer.poolSize && (await queued()) === 24;
      });
      expect(await waiting()).toBe(database.bouncer.poolSize);
      await holder.query("COMMIT");
      const pids = await Promise.all(work);
      expect(pids).toHaveLength(32);
      expect(pids.every((pid) => typeof pid === "number")).toBe(true);
      expect(new Set(pids).size).toBeLessThanOrEqual(database.bouncer.poolSize);
      expect(await waiting()).toBe(0);
    } finally {
      await holder.end();
    }
  });

  it("LCK-7 through PgBouncer: a unit of work on one account waits, on another instance, until the first instance's unit of work on it commits", async () => {
    const [first, second] = instances.map(
      (driver) => new PostgresStore(driver, { schema: database.schema }),
    );
    if (first === undefined || second === undefined) throw new Error("no instances");
    const email = `lck7-${randomBytes(4).toString("hex")}@example.test`;
    const order: string[] = [];
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = () => {};
    const inFirst = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const one = first.transact({ accounts: [email] }, async (tx) => {
      // A read of this file's schema: its text names the schema, which finds this backend below.
      expect(await tx.findAccountByEmail(email)).toBeNull();
      order.push("first in");
      entered();
      await released;
      order.push("first out");
    });
    await inFirst;
    const two = second.transact({ accounts: [email] }, async () => {
      order.push("second in");
    });
    // The second waits on the server for an advisory lock the first's backend holds.
    await until("the second blocked by the first's advisory lock", async () => {
      const { rows } = await observer.query(
        `SELECT count(*) AS n FROM pg_stat_activity waiter
           JOIN pg_stat_activity holder ON holder.pid = ANY (pg_blocking_pids(waiter.pid))
          WHERE waiter.wait_event_type = 'Lock' AND waiter.wait_event = 'advisory'
            AND holder.state = 'idle in transaction' AND holder.query LIKE $1`,
        [`%${database.schema}%`],
      );
      return Number(rows[0]?.n) === 1;
    });
    expect(order).toEqual(["first in"]);
    release();
    await Promise.all([one, two]);
    expect(order).toEqual(["first in", "first out", "second in"]);
  });

  it("migrate through PgBouncer: 4 instances migrating one new schema at once apply each migration once (its pg_advisory_xact_lock holds, being transaction-scoped)", async () => {
    const schema = `pa_test_${randomBytes(6).toString("hex")}`;
    try {
      const reports = await Promise.all(instances.map((driver) => migrate(driver, { schema })));
      const status = await migrationStatus(database.driver, { schema });
      expect(status.pending).toEqual([]);
      const applied = reports.flatMap((report) => report.applied.map((m) => m.version));
      expect(applied).toEqual(status.applied.map((m) => m.version));
      expect(reports.filter((report) => report.applied.length > 0)).toHaveLength(1);
    } finally {
      await observer.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });
});

describe("what transaction pooling breaks, shown on a PgBouncer with one server connection (the adapter uses none of it)", () => {
  it("session SET, session advisory locks and named prepared statements of one client reach the next client; SET LOCAL does not", async () => {
    const bouncer = await startPgBouncer({ poolSize: 1 });
    const [a, b] = [1, 2].map(() => new pg.Client({ connectionString: bouncer.url }));
    if (a === undefined || b === undefined) throw new Error("no clients");
    try {
      await a.connect();
      await b.connect();
      const timeoutOf = async (client: pg.Client) =>
        (await client.query("SHOW statement_timeout")).rows[0]?.statement_timeout;
      const before = await timeoutOf(b);

      // SET LOCAL ends with its transaction: what the adapter's set_config(…, true) does.
      await a.query("BEGIN");
      await a.query("SET LOCAL statement_timeout = '1111ms'");
      expect(await timeoutOf(a)).toBe("1111ms");
      await a.query("COMMIT");
      expect(await timeoutOf(b)).toBe(before);

      // A session SET stays on the server connection, which the next client gets.
      await a.query("SET statement_timeout = '4321ms'");
      expect(await timeoutOf(b)).toBe("4321ms");
      await b.query("RESET statement_timeout");

      // A session advisory lock stays too: another client "takes" it again at once.
      const key = randomInt(1, 2 ** 31 - 1);
      await a.query("SELECT pg_advisory_lock(4243, $1)", [key]);
      const { rows } = await b.query("SELECT pg_try_advisory_lock(4243, $1) AS got", [key]);
      expect(rows[0]?.got).toBe(true);
      await b.query("SELECT pg_advisory_unlock_all()");

      // A named prepared statement exists on the server connection, not on the client's.
      await a.query({ name: "pa_named", text: "SELECT 1 AS one" });
      await expect(b.query({ name: "pa_named", text: "SELECT 2 AS two" })).rejects.toMatchObject({
        code: "42P05",
      });
      await b.query("DEALLOCATE ALL");
    } finally {
      await Promise.all([a.end(), b.end()]);
      await bouncer.stop();
    }
  });
});
