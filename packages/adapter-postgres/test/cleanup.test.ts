import { aLink, anAccount, T0, uniqueId } from "@panel-access/core/testing";
import { serverOrPglite } from "@panel-access/test-support/postgres";
import { Duration } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import { cleanup, PostgresStore, PostgresThrottleStore } from "../src/index.js";
import { testDatabase } from "./database.js";

const database = await testDatabase(await serverOrPglite());
afterAll(() => database.drop());

describe(`cleanup (${database.kind})`, () => {
  it("SES-1, ACC-8: cleanup deletes only what can no longer work, and can run again", async () => {
    const store = new PostgresStore(database.driver, { schema: database.schema });
    const account = anAccount();
    const session = (id: string, expiresAt = T0.plus({ hours: 12 })) => ({
      id,
      accountId: account.id,
      secretHash: "ab".repeat(32),
      method: "local" as const,
      createdAt: T0,
      lastUsedAt: T0,
      expiresAt,
    });
    const oldLink = aLink(account.id, { sequence: 1, expiresAt: T0.plus({ days: 7 }) });
    const liveLink = aLink(account.id, {
      sequence: 2,
      issuedAt: T0.plus({ days: 60 }),
      expiresAt: T0.plus({ days: 67 }),
    });
    await store.transact({}, async (tx) => {
      await tx.createAccount(account);
      await tx.createLink(oldLink);
      await tx.createLink(liveLink);
      await tx.createSession(session("ended", T0.plus({ hours: 1 })));
      await tx.createSession(session("live", T0.plus({ days: 90 })));
    });
    const now = T0.plus({ days: 61 });
    expect(await cleanup(database.driver, { schema: database.schema, now })).toEqual({
      links: 1,
      sessions: 1,
      rememberedBrowsers: 0,
      sentMail: 0,
      throttleCounters: 0,
    });
    await store.transact({}, async (tx) => {
      expect(await tx.findLink(oldLink.id)).toBeNull();
      expect(await tx.findLink(liveLink.id)).not.toBeNull();
      expect(await tx.findSession("ended")).toBeNull();
      expect(await tx.findSession("live")).not.toBeNull();
    });
    expect(await cleanup(database.driver, { schema: database.schema, now })).toEqual({
      links: 0,
      sessions: 0,
      rememberedBrowsers: 0,
      sentMail: 0,
      throttleCounters: 0,
    });
  });

  it("LCK-9: cleanup deletes throttle counters decayed below 0.01 by each one's own half-life, and only those", async () => {
    const throttle = new PostgresThrottleStore(database.driver, { schema: database.schema });
    const [short, long, ahead, given] = Array.from({ length: 4 }, () => uniqueId("throttle"));
    const hour = Duration.fromObject({ hours: 1 });
    const month = Duration.fromObject({ days: 30 });
    await throttle.add(
      [
        { key: short as string, amount: 5, halfLife: hour }, // 5 · 2^-24 by T0 + 1 day: gone
        { key: long as string, amount: 5, halfLife: month }, // 5 · 2^(-1/30): kept
        { key: given as string, amount: -1, halfLife: month }, // 0 from the start: gone
      ],
      T0,
    );
    // changed "after" the cleanup's now (another instance's clock is ahead): no time has passed for it
    await throttle.add([{ key: ahead as string, amount: 1, halfLife: hour }], T0.plus({ days: 2 }));
    const now = T0.plus({ days: 1 });
    const report = await cleanup(database.driver, { schema: database.schema, now });
    expect(report.throttleCounters).toBe(2);
    const { rows } = await database.driver.transaction((c) =>
      c.query<{ key: string }>(
        `SELECT key FROM "${database.schema}".throttle_counters WHERE key = ANY($1) ORDER BY key`,
        [[short, long, ahead, given]],
      ),
    );
    expect(rows.map((r) => r.key)).toEqual([long, ahead].sort());
    expect(
      (await cleanup(database.driver, { schema: database.schema, now })).throttleCounters,
    ).toBe(0);
    // what was deleted starts again from nothing
    expect(await throttle.add([{ key: short as string, amount: 1, halfLife: hour }], now)).toEqual([
      1,
    ]);
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
      const exists = async () =>
        (
          await database.driver.transaction((c) =>
            c.query(`SELECT 1 FROM "${database.schema}".throttle_counters WHERE key = $1`, [key]),
          )
        ).rows.length === 1;
      expect(await exists()).toBe(true);
      await cleanup(database.driver, { schema: database.schema, now });
      expect(await exists()).toBe(false);
    },
  );
});
