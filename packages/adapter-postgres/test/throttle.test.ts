import { T0, uniqueId } from "@panel-access/core/testing";
import { serverOrPglite } from "@panel-access/test-support/postgres";
import { Duration } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresThrottleStore } from "../src/index.js";
import { testDatabase } from "./database.js";

/** PostgresThrottleStore beyond the shared contract: what only SQL can get wrong. */
const database = await testDatabase(await serverOrPglite());
afterAll(() => database.drop());

const HOUR = Duration.fromObject({ hours: 1 });
const MINUTE = Duration.fromObject({ minutes: 1 });
const store = new PostgresThrottleStore(database.driver, { schema: database.schema });
const change = (key: string, amount = 1, halfLife = HOUR) => ({ key, amount, halfLife });

describe(`PostgresThrottleStore (${database.kind})`, () => {
  it("LCK-9: a key named twice in one call is changed twice, in the caller's order", async () => {
    const [a, b] = [uniqueId("throttle"), uniqueId("throttle")];
    expect(
      await store.add([change(a), change(b), change(a, 2), change(a, -10), change(a)], T0),
    ).toEqual([1, 1, 3, 0, 1]);
  });

  it("LCK-9: a counter idle for thousands of half-lives, or decayed to a sliver, reads 0 (no float underflow error)", async () => {
    const k = uniqueId("throttle");
    await store.add([change(k, 1, MINUTE)], T0);
    // 10 years of 1-minute half-lives: 2^-5,000,000
    expect(await store.add([change(k, 1, MINUTE)], T0.plus({ years: 10 }))).toEqual([1]);
    // 63 half-lives at a time, read without changing: down to 0, never an error
    let at = T0.plus({ years: 10 });
    let value = 1;
    for (let i = 0; i < 20; i++) {
      at = at.plus({ minutes: 63 });
      [value = Number.NaN] = await store.add([change(k, 0, MINUTE)], at);
    }
    expect(value).toBe(0);
  });

  it("LCK-9: time is the caller's: a `now` before the counter's last change counts as no time passed", async () => {
    const k = uniqueId("throttle");
    await store.add([change(k, 4)], T0.plus({ hours: 2 }));
    // another instance's clock, an hour behind: no decay, and the later time is kept
    expect(await store.add([change(k)], T0.plus({ hours: 1 }))).toEqual([5]);
    const [later] = await store.add([change(k, 0)], T0.plus({ hours: 3 }));
    expect(later).toBeCloseTo(2.5, 9);
  });

  it("LCK-9: calls naming the same keys in opposite orders, from several pools at once, never deadlock", async () => {
    const pools = [store, ...[1, 2, 3].map(() => peerStore())];
    const keys = Array.from({ length: 6 }, () => uniqueId("throttle"));
    const calls = Array.from({ length: 80 }, (_, i) => {
      const order = i % 2 === 0 ? keys : [...keys].reverse();
      return (pools[i % pools.length] as PostgresThrottleStore).add(
        order.map((k) => change(k)),
        T0,
      );
    });
    const answers = await Promise.all(calls);
    for (const [i, answer] of answers.entries()) {
      // within one call every key was changed at the same point: one transaction
      expect(new Set(answer).size, `call ${i}: ${answer}`).toBe(1);
    }
    expect(answers.map(([first]) => first).sort((x = 0, y = 0) => x - y)).toEqual(
      Array.from({ length: 80 }, (_, i) => i + 1),
    );
    const clears = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? (pools[i % pools.length] as PostgresThrottleStore).clear([...keys].reverse())
        : (pools[i % pools.length] as PostgresThrottleStore).add(
            keys.map((k) => change(k)),
            T0,
          ),
    );
    await Promise.all(clears);
  });

  it("refuses a key past 512 characters, and a half-life that is not positive, before anything is stored", async () => {
    await expect(store.add([change("k".repeat(513))], T0)).rejects.toThrow();
    await expect(
      store.add([change(uniqueId("throttle"), 1, Duration.fromMillis(0))], T0),
    ).rejects.toThrow("half-life");
    expect(await store.add([], T0)).toEqual([]);
  });
});

function peerStore(): PostgresThrottleStore {
  return new PostgresThrottleStore(database.newPool().driver, { schema: database.schema });
}
