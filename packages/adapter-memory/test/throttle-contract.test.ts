import { runThrottleContract } from "@panel-access/core/contracts";
import { DateTime, Duration } from "luxon";
import { describe, expect, it } from "vitest";
import { MemoryThrottleStore } from "../src/index.js";

/** The shared throttle contract (LCK-9) on the in-memory store; "another instance" is the same object. */
runThrottleContract("adapter-memory", { createStore: () => new MemoryThrottleStore() });

describe("MemoryThrottleStore's bound (LCK-9)", () => {
  const T0 = DateTime.fromISO("2026-01-05T09:00:00Z", { zone: "utc" });
  const hours = (h: number) => Duration.fromObject({ hours: h });

  it("LCK-9: past maxKeys the decayed and then the least recently changed counters go; each decays by its own half-life", async () => {
    const store = new MemoryThrottleStore({ maxKeys: 3 });
    await store.add([{ key: "long", amount: 100, halfLife: hours(24) }], T0);
    await store.add([{ key: "short", amount: 1, halfLife: hours(1) }], T0);
    // 14 hours later "short" has decayed to nothing, "long" (half-life 24 h) still holds about 67.
    const later = T0.plus({ hours: 14 });
    await store.add([{ key: "a", amount: 1, halfLife: hours(1) }], later);
    await store.add([{ key: "b", amount: 1, halfLife: hours(1) }], later);
    expect(store.size).toBe(3);
    const [long] = await store.add([{ key: "long", amount: 0, halfLife: hours(24) }], later);
    expect(long).toBeCloseTo(100 * 2 ** (-14 / 24), 6);
    const [short] = await store.add([{ key: "short", amount: 0, halfLife: hours(1) }], later);
    expect(short).toBe(0);
  });
});
