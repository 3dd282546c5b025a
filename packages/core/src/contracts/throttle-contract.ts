import { Duration } from "luxon";
import { describe, expect, it } from "vitest";
import type { ThrottleStore } from "../ports/throttle.js";
import { T0, uniqueId } from "../testing/records.js";

/** How the throttle contract gets a store to test. */
export interface ThrottleStoreFactory {
  /** A throttle store over empty counters (a fresh schema, a fresh Redis prefix, a new object). */
  createStore(): ThrottleStore | Promise<ThrottleStore>;
  /**
   * Optional: another store over the same counters, standing for another
   * application instance. Parallel tests spread their calls over all of
   * them. @default the same store
   */
  createPeer?(store: ThrottleStore, index: number): ThrottleStore | Promise<ThrottleStore>;
  /** How many instances the parallel tests spread over. @default 2 */
  instances?: number;
}

const HOUR = Duration.fromObject({ hours: 1 });
/** How many parallel callers the race tests start. */
const PARALLEL = 50;
/** Decayed values are compared to this many decimal places. */
const DIGITS = 6;

/**
 * LCK-9: the contract every `ThrottleStore` keeps. Run it in each adapter's
 * test suite with a factory for a store over empty counters.
 */
export function runThrottleContract(name: string, factory: ThrottleStoreFactory): void {
  async function stores(): Promise<ThrottleStore[]> {
    const store = await factory.createStore();
    const count = factory.instances ?? 2;
    const all = [store];
    for (let i = 1; i < count; i++) all.push((await factory.createPeer?.(store, i)) ?? store);
    return all;
  }
  const key = () => uniqueId("throttle");
  const one = (k: string, amount = 1, halfLife = HOUR) => [{ key: k, amount, halfLife }];

  describe(`throttle contract: ${name}`, () => {
    it("LCK-9: each add answers the new count; a count halves every half-life since it last changed", async () => {
      const [store] = await stores();
      if (store === undefined) throw new Error("no store");
      const k = key();
      expect(await store.add(one(k), T0)).toEqual([1]);
      expect(await store.add(one(k), T0)).toEqual([2]);
      const [afterAnHour] = await store.add(one(k), T0.plus({ hours: 1 }));
      expect(afterAnHour).toBeCloseTo(2, DIGITS);
      const [afterTwoMore] = await store.add(one(k, 0), T0.plus({ hours: 3 }));
      expect(afterTwoMore).toBeCloseTo(0.5, DIGITS);
    });

    it("LCK-9: changes of one call are answered in order; keys are independent; a count never goes below 0", async () => {
      const [store] = await stores();
      if (store === undefined) throw new Error("no store");
      const [a, b, c] = [key(), key(), key()];
      await store.add(one(a), T0);
      const short = Duration.fromObject({ minutes: 1 });
      const values = await store.add(
        [
          { key: a, amount: 1, halfLife: HOUR },
          { key: b, amount: -1, halfLife: HOUR },
          { key: c, amount: 1, halfLife: short },
        ],
        T0,
      );
      expect(values).toEqual([2, 0, 1]);
      expect(await store.add(one(b), T0)).toEqual([1]);
      expect(await store.add(one(a, -5), T0)).toEqual([0]);
    });

    it("LCK-9: clear forgets counters, and only those", async () => {
      const [store] = await stores();
      if (store === undefined) throw new Error("no store");
      const [a, b] = [key(), key()];
      await store.add([...one(a), ...one(b)], T0);
      await store.clear([a]);
      expect(await store.add([...one(a), ...one(b)], T0)).toEqual([1, 2]);
      await store.clear([]);
    });

    it(`LCK-9: ${PARALLEL} parallel failures on one key, spread over the instances, are all counted: each answers another count, the limit is crossed exactly once`, async () => {
      const all = await stores();
      const k = key();
      const counts = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) => all[i % all.length]?.add(one(k), T0) ?? []),
      );
      const seen = counts.map(([count]) => Math.round(count ?? 0)).sort((x, y) => x - y);
      expect(seen).toEqual(Array.from({ length: PARALLEL }, (_, i) => i + 1));
      const limit = 10;
      expect(seen.filter((count) => count === limit + 1)).toHaveLength(1);
      const [last] = await (all[0] as ThrottleStore).add(one(k, 0), T0);
      expect(last).toBeCloseTo(PARALLEL, DIGITS);
    });

    it("LCK-9: parallel gives-back never take a count below 0", async () => {
      const all = await stores();
      const k = key();
      await (all[0] as ThrottleStore).add(one(k, 3), T0);
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => all[i % all.length]?.add(one(k, -1), T0)),
      );
      expect(await (all[0] as ThrottleStore).add(one(k, 0), T0)).toEqual([0]);
    });
  });
}
