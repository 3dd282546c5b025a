import { runCleanupContract } from "@panel-access/core/contracts";
import { anAuditEvent, T0, uniqueId } from "@panel-access/core/testing";
import { serverOrPglite } from "@panel-access/test-support/postgres";
import { Duration } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import {
  cleanup,
  PostgresStore,
  PostgresThrottleStore,
  type SqlClient,
  type SqlDriver,
} from "../src/index.js";
import { testDatabase } from "./database.js";

const kind = await serverOrPglite();
const database = await testDatabase(kind);
/** The fresh schemas the contract asked for, one per test. */
const opened = [database];
afterAll(() => Promise.all(opened.map((d) => d.drop())));

/**
 * The shared cleanup contract: each test on a fresh schema, as it counts
 * what one cleanup reports.
 */
runCleanupContract(`adapter-postgres on ${kind === "server" ? "a server" : "PGlite"}`, {
  async create() {
    const fresh = await testDatabase(kind);
    opened.push(fresh);
    const { driver, schema } = fresh;
    return {
      store: new PostgresStore(driver, { schema }),
      throttle: new PostgresThrottleStore(driver, { schema }),
      cleanup: (options) => cleanup(driver, { ...options, schema }),
    };
  },
});

/** Which of `keys` have a row in `throttle_counters`. */
async function storedCounters(driver: SqlDriver, keys: readonly string[]): Promise<string[]> {
  const { rows } = await driver.transaction((c) =>
    c.query<{ key: string }>(
      `SELECT key FROM "${database.schema}".throttle_counters WHERE key = ANY($1) ORDER BY key`,
      [keys],
    ),
  );
  return rows.map((r) => r.key);
}

describe(`cleanup, PostgreSQL only (${database.kind})`, () => {
  it("LCK-9: a counter given back to 0 is a row (the memory store never keeps one) until cleanup deletes it", async () => {
    const throttle = new PostgresThrottleStore(database.driver, { schema: database.schema });
    const given = uniqueId("throttle");
    const month = Duration.fromObject({ days: 30 });
    expect(await throttle.add([{ key: given, amount: -1, halfLife: month }], T0)).toEqual([0]);
    expect(await storedCounters(database.driver, [given])).toEqual([given]);
    const report = await cleanup(database.driver, { schema: database.schema, now: T0 });
    expect(report.throttleCounters).toBe(1);
    expect(await storedCounters(database.driver, [given])).toEqual([]);
  });

  it.runIf(database.kind === "server")(
    "LCK-9: cleanup passes over a counter a login is changing at that moment instead of waiting for it",
    async () => {
      const throttle = new PostgresThrottleStore(database.driver, { schema: database.schema });
      const key = uniqueId("throttle");
      const hour = Duration.fromObject({ hours: 1 });
      await throttle.add([{ key, amount: 1, halfLife: hour }], T0);
      const other = database.newPool().driver;
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked = () => {};
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      const holder = other.transaction(async (c) => {
        await c.query(
          `SELECT 1 FROM "${database.schema}".throttle_counters WHERE key = $1 FOR UPDATE`,
          [key],
        );
        locked();
        await held;
      });
      await isLocked;
      const now = T0.plus({ days: 30 });
      // while the lock is held (were the cleanup to wait for it, this would never answer)
      await cleanup(database.driver, { schema: database.schema, now });
      release();
      await holder;
      expect(await storedCounters(database.driver, [key])).toEqual([key]);
      await cleanup(database.driver, { schema: database.schema, now });
      expect(await storedCounters(database.driver, [key])).toEqual([]);
    },
  );
});

/** A driver that notes, for each statement, its SQL and which transaction ran it. */
function recordingDriver(driver: SqlDriver) {
  const statements: { sql: string; transaction: number }[] = [];
  let transactions = 0;
  const recording: SqlDriver = {
    transaction: (work) => {
      const transaction = ++transactions;
      return driver.transaction((client) =>
        work({
          query: (sql, params) => {
            statements.push({ sql, transaction });
            return client.query(sql, params);
          },
          exec: (sql) => client.exec(sql),
        } satisfies SqlClient),
      );
    },
  };
  return { driver: recording, statements };
}

describe(`cleanup of the audit trail in batches, PostgreSQL only (${database.kind})`, () => {
  it("AUD-2: cleanup deletes expired audit events auditBatchSize at a time, each batch a transaction of its own, until all are gone: 25 old events and 7 old failed logins without an account in batches of 10", async () => {
    const fresh = await testDatabase(kind);
    opened.push(fresh);
    const { schema } = fresh;
    const store = new PostgresStore(fresh.driver, { schema });
    const now = T0.plus({ days: 500 });
    const panelId = uniqueId("pnl");
    const old = Array.from({ length: 25 }, (_, i) =>
      anAuditEvent(panelId, { at: now.minus({ days: 400, minutes: i }) }),
    );
    const failedLogins = Array.from({ length: 7 }, (_, i) =>
      anAuditEvent(panelId, {
        at: now.minus({ days: 40, minutes: i }),
        type: "login.failed",
        accountId: null,
      }),
    );
    const kept = anAuditEvent(panelId, { at: now.minus({ days: 40 }) });
    await store.transact({}, (tx) => tx.appendAuditEvents([...old, ...failedLogins, kept]));
    const { driver, statements } = recordingDriver(fresh.driver);

    const report = await cleanup(driver, { schema, now, auditBatchSize: 10 });

    expect(report.auditEvents).toBe(32);
    const batches = statements.filter((s) => /DELETE FROM \S+\.audit_events/.test(s.sql));
    // 10, 10, 5 old events; then 7 failed logins: each statement stops at a batch short of 10
    expect(batches).toHaveLength(4);
    expect(new Set(batches.map((s) => s.transaction)).size).toBe(4);
    const others = statements.filter((s) => !batches.includes(s)).map((s) => s.transaction);
    expect(batches.some((s) => others.includes(s.transaction))).toBe(false);
    const left = await store.transact({}, (tx) => tx.listAuditEvents({ panelId, limit: 100 }));
    expect(left.map((e) => e.id)).toEqual([kept.id]);
    expect((await cleanup(driver, { schema, now, auditBatchSize: 10 })).auditEvents).toBe(0);
  });

  it("AUD-2: an auditBatchSize that is not a positive integer is refused before anything is deleted", async () => {
    for (const auditBatchSize of [0, -1, 1.5, Number.NaN]) {
      await expect(
        cleanup(database.driver, { schema: database.schema, now: T0, auditBatchSize }),
      ).rejects.toThrow(RangeError);
    }
  });
});
