/**
 * Figure 14 of `bench/abuse.ts`: what throttling costs a normal login, the
 * password step with throttling on / off, back to back on two instances of
 * one store: a. memory adapter, b. PostgreSQL with `PostgresThrottleStore`.
 */
import { MemoryStore } from "@panel-access/adapter-memory";
import { PostgresThrottleStore } from "@panel-access/adapter-postgres";
import { OWASP_ARGON2ID } from "@panel-access/core";
import { createInMemoryPanelAccess, testTwoFactorOptions } from "@panel-access/testkit";
import type { PostgresBench } from "../postgres-world.js";
import { type BenchWorld, enrol, PASSWORD, seedMembers } from "../seed.js";
import { backToBack, f, median, pairedRatio } from "../stats.js";
import type { HotAccountRun } from "./hot-account.js";

const PAIRS = 120;
const CLIENT_ADDRESS = "203.0.113.7";

async function throttleCost(
  what: string,
  on: BenchWorld,
  off: BenchWorld,
  email: string,
  target: string,
) {
  const step = (world: BenchWorld) => async () => {
    const answer = await world.panelAccess.login({
      email,
      password: PASSWORD,
      clientAddress: CLIENT_ADDRESS,
    });
    if (answer.isErr()) throw new Error(answer.error.type);
  };
  for (let i = 0; i < 5; i++) {
    await step(on)();
    await step(off)();
  }
  const [onTimes, offTimes] = await backToBack(PAIRS, step(on), step(off));
  console.log(
    `${what}: ${f(pairedRatio(onTimes, offTimes))} (median of ${PAIRS} back-to-back pairs; medians ` +
      `${f(median(onTimes), 2)} ms / ${f(median(offTimes), 2)} ms; target ${target})`,
  );
}

/** 14a. Memory adapter: two instances on one store, one with throttling off. */
export async function throttleCostOnMemory() {
  const shared = {
    argon2: OWASP_ARGON2ID,
    twoFactor: testTwoFactorOptions(),
  };
  const store = new MemoryStore();
  const on = createInMemoryPanelAccess({ ...shared, store });
  const off = createInMemoryPanelAccess({ ...shared, store, throttle: { enabled: false } });
  const [member] = await seedMembers(on, 1);
  if (member === undefined) throw new Error("nothing seeded");
  await enrol(on, [member]);
  await throttleCost(
    "14a. password step with throttling on (default options, clientAddress) / off, memory adapter",
    on,
    off,
    member,
    "≤ 1.02",
  );
}

/** 14b. PostgreSQL: counters in PostgresThrottleStore, on the schema and accounts of figure 13. */
export async function throttleCostOnPostgres(bench: PostgresBench, figure13: HotAccountRun) {
  const { schema, counting } = bench;
  const throttled = bench.world(
    figure13.options,
    new PostgresThrottleStore(counting.driver, { schema }),
  );
  const unthrottled = bench.world({ ...figure13.options, throttle: { enabled: false } });
  const email = figure13.emails[0] ?? "";
  await throttleCost(
    "14b. the same on PostgreSQL, counters in PostgresThrottleStore",
    throttled,
    unthrottled,
    email,
    "≤ 1.02 (nice to have)",
  );
  const statements = async (world: BenchWorld) => {
    counting.reset();
    await world.panelAccess.login({ email, password: PASSWORD, clientAddress: CLIENT_ADDRESS });
    return counting.statements();
  };
  console.log(
    `    SQL statements per password step: throttling on ${await statements(throttled)}, ` +
      `off ${await statements(unthrottled)}`,
  );
}
