import { runCleanupContract } from "@panel-access/core/contracts";
import { aLink, anAccount, T0 } from "@panel-access/core/testing";
import { Duration } from "luxon";
import { describe, expect, it } from "vitest";
import { MemoryStore, MemoryThrottleStore } from "../src/index.js";

/** The shared cleanup contract on the memory store, given its throttle store. */
runCleanupContract("adapter-memory", {
  create() {
    const store = new MemoryStore();
    const throttle = new MemoryThrottleStore();
    return { store, throttle, cleanup: (options) => store.cleanup({ ...options, throttle }) };
  },
});

describe("MemoryStore.cleanup (memory only)", () => {
  it("ACC-8, cleanup: a dead link a unit of work holds is passed over without waiting for the unit (SKIP LOCKED) and goes at the next run", async () => {
    const store = new MemoryStore();
    const account = anAccount();
    const link = aLink(account.id, { expiresAt: T0.plus({ days: 1 }) });
    await store.transact({ accounts: [account.email] }, async (tx) => {
      await tx.createAccount(account);
      await tx.createLink(link);
    });
    const now = T0.plus({ days: 60 });
    const during = await store.transact({ accounts: [account.email] }, async (tx) => {
      await tx.consumeOpenLinks(account.id, "invitation", now);
      // while this unit of work holds the link's row lock (PostgreSQL's DELETE would wait here for ever)
      return store.cleanup({ now });
    });
    expect(during.links).toBe(0);
    expect((await store.cleanup({ now })).links).toBe(1);
    expect(store.counts().links).toBe(0);
  });

  it("LCK-9, cleanup: without its throttle store, the memory store's cleanup reports no throttle counters and leaves them be", async () => {
    const store = new MemoryStore();
    const throttle = new MemoryThrottleStore();
    await throttle.add([{ key: "k", amount: 1, halfLife: Duration.fromObject({ hours: 1 }) }], T0);
    const now = T0.plus({ days: 1 });
    expect((await store.cleanup({ now })).throttleCounters).toBe(0);
    expect(throttle.size).toBe(1);
    expect((await store.cleanup({ now, throttle })).throttleCounters).toBe(1);
    expect(throttle.size).toBe(0);
  });
});
