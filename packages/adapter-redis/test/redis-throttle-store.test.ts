import { T0, uniqueId } from "@panel-access/core/testing";
import { type Client, connect, redisForTests } from "@panel-access/test-support/redis";
import { Duration } from "luxon";
import { describe, expect, it } from "vitest";
import { DEFAULT_THROTTLE_PREFIX, RedisThrottleStore } from "../src/index.js";
import { KEPT_HALF_LIVES } from "../src/script.js";

/**
 * What the contract cannot see: the keys in Redis (hash, TTL, deletion at
 * 0), doubles through Lua, the caller's clock, the script cache. Skipped
 * without Redis, except in CI.
 */
const { available, prefix, clients } = await redisForTests(1);
const redis: Client | undefined = clients[0];

const HOUR = Duration.fromObject({ hours: 1 });
const HOUR_MS = HOUR.toMillis();
const one = (key: string, amount = 1, halfLife = HOUR) => [{ key, amount, halfLife }];

describe.runIf(available)("RedisThrottleStore: the keys in Redis", () => {
  function db(): Client {
    if (redis === undefined) throw new Error("no Redis");
    return redis;
  }
  const store = () => new RedisThrottleStore(db(), { prefix });

  it("LCK-9: a counter is a hash { value, updatedAt } at prefix + key, on the caller's clock", async () => {
    const k = uniqueId("ttl");
    await store().add(one(k), T0);
    expect(await db().hGetAll(prefix + k)).toEqual({
      value: "1",
      updatedAt: String(T0.toMillis()),
    });
  });

  it(`LCK-9: every written key gets a TTL of ${KEPT_HALF_LIVES} half-lives, one more per doubling of its count, renewed on each change`, async () => {
    const [small, big] = [uniqueId("ttl"), uniqueId("ttl")];
    await store().add([...one(small), ...one(big, 1024)], T0);
    const smallTtl = await db().pTTL(prefix + small);
    expect(smallTtl).toBeGreaterThan(KEPT_HALF_LIVES * HOUR_MS - 60_000);
    expect(smallTtl).toBeLessThanOrEqual(KEPT_HALF_LIVES * HOUR_MS);
    const bigTtl = await db().pTTL(prefix + big);
    expect(bigTtl).toBeGreaterThan((KEPT_HALF_LIVES + 10) * HOUR_MS - 60_000);
    expect(bigTtl).toBeLessThanOrEqual((KEPT_HALF_LIVES + 10) * HOUR_MS);

    const minute = Duration.fromObject({ minutes: 1 });
    await store().add(one(small, 1, minute), T0);
    expect(await db().pTTL(prefix + small)).toBeLessThanOrEqual(
      Math.ceil((KEPT_HALF_LIVES + 1) * minute.toMillis()),
    );
  });

  it("LCK-9: a counter given back to 0 is deleted, not kept", async () => {
    const k = uniqueId("zero");
    await store().add(one(k, 2), T0);
    expect(await store().add(one(k, -5), T0)).toEqual([0]);
    expect(await db().exists(prefix + k)).toBe(0);
  });

  it("LCK-9: fractional counts come back exact (Lua numbers would be truncated to integers)", async () => {
    const k = uniqueId("frac");
    expect(await store().add(one(k, 1 / 3), T0)).toEqual([1 / 3]);
    const [decayed] = await store().add(one(k, 0), T0.plus({ minutes: 90 }));
    expect(decayed).toBeCloseTo((1 / 3) * 2 ** -1.5, 12);
    expect(decayed).not.toBe(0);
  });

  it("LCK-9: a caller whose clock is behind the last change decays nothing, and updatedAt never moves back", async () => {
    const k = uniqueId("skew");
    const later = T0.plus({ hours: 1 });
    await store().add(one(k), later);
    expect(await store().add(one(k), T0)).toEqual([2]);
    expect(await db().hGet(prefix + k, "updatedAt")).toBe(String(later.toMillis()));
  });

  it("LCK-9: one key twice in one call: the changes apply in order", async () => {
    const k = uniqueId("twice");
    expect(await store().add([...one(k), ...one(k)], T0)).toEqual([1, 2]);
    expect(await store().add([], T0)).toEqual([]);
  });

  it("prefixes keep stores apart; clear deletes only this prefix's keys", async () => {
    const k = uniqueId("prefix");
    const other = new RedisThrottleStore(db(), { prefix: `${prefix}other:` });
    await store().add(one(k), T0);
    await other.add(one(k, 5), T0);
    await store().clear([k]);
    expect(await db().exists(prefix + k)).toBe(0);
    expect(await other.add(one(k, 0), T0)).toEqual([5]);
  });

  it("the default prefix is panel-access:throttle:", async () => {
    const k = `${prefix}default:${uniqueId("k")}`;
    const plain = new RedisThrottleStore(db());
    expect(plain.prefix).toBe(DEFAULT_THROTTLE_PREFIX);
    expect(DEFAULT_THROTTLE_PREFIX).toBe("panel-access:throttle:");
    await plain.add(one(k), T0);
    expect(await db().exists(DEFAULT_THROTTLE_PREFIX + k)).toBe(1);
    await plain.clear([k]);
    expect(await db().exists(DEFAULT_THROTTLE_PREFIX + k)).toBe(0);
  });

  it("runs again after Redis forgot the script (SCRIPT FLUSH, a restart): EVALSHA falls back to EVAL", async () => {
    const k = uniqueId("flush");
    await store().add(one(k), T0);
    await db().scriptFlush();
    expect(await store().add(one(k), T0)).toEqual([2]);
  });

  it("refuses a half-life that is not positive, and an amount that is not finite, before calling Redis", async () => {
    const k = uniqueId("bad");
    await expect(store().add(one(k, 1, Duration.fromMillis(0)), T0)).rejects.toThrow(RangeError);
    await expect(store().add(one(k, Number.NaN), T0)).rejects.toThrow(RangeError);
    expect(await db().exists(prefix + k)).toBe(0);
  });

  it("a Redis it cannot reach makes add and clear reject (the core then applies throttle.onStoreFailure)", async () => {
    const closed = await connect();
    closed.destroy();
    const k = uniqueId("down");
    const down = new RedisThrottleStore(closed, { prefix });
    await expect(down.add(one(k), T0)).rejects.toThrow();
    await expect(down.clear([k])).rejects.toThrow();
  });
});
