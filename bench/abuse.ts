/**
 * `pnpm bench` (fifth part): what abuse costs everyone else, and what the
 * defence costs a normal login. Production argon2id parameters, the library's
 * defaults otherwise (`maxQueuedPerAccount` 16, throttling on with its
 * default limits).
 *
 * 13. Hot-account isolation (LCK-7 v2), on PostgreSQL with a pool of 10:
 *     the password step of other accounts (right password, 2FA set up),
 *     one at a time, while bursts of 200 parallel wrong-password logins for
 *     one e-mail follow each other without a pause / the same logins at rest.
 *     Each burst hits a new account, so each starts with a fresh per-e-mail
 *     counter and an unlocked account (6 wrong passwords lock it; the rest
 *     of its burst then checks a dummy hash). No `clientAddress` anywhere: an
 *     attacker with many addresses, so only the per-e-mail and per-instance
 *     counters apply.
 * 14. Throttle cost on a normal login: the password step (right password,
 *     with a `clientAddress`) with throttling on (default options) / off
 *     (`throttle: { enabled: false }`): a. memory adapter, in-process
 *     counters; b. PostgreSQL with `PostgresThrottleStore`.
 *
 * The manual clock follows real time during figure 13, so the throttle
 * counters decay as they would in a deployment. Figures 13 and 14b need the
 * server at DATABASE_URL; without one they are skipped with a message.
 */
import { hash, verify } from "@node-rs/argon2";
import { MemoryStore } from "@panel-access/adapter-memory";
import { PostgresThrottleStore } from "@panel-access/adapter-postgres";
import { type LoginError, OWASP_ARGON2ID, type PanelAccessOptions } from "@panel-access/core";
import { createInMemoryPanelAccess, testTwoFactorOptions } from "@panel-access/testkit";
import { benchOptions, openPostgres, type PostgresBench, shownUrl } from "./postgres-world.js";
import { type BenchWorld, enrol, PASSWORD, seedMembers } from "./seed.js";
import { backToBack, f, median, pairedRatio, percentile } from "./stats.js";

/** Figure 13: connections the library may hold, parallel attempts per burst. */
const POOL = 10;
const BURST = 200;
/** Other accounts, each logged in once at rest, once under attack and once in the control. */
const OTHERS = 40;
/** Blocks of the other logins: at rest, under attack, control, in turn, so drift touches every side. */
const BLOCKS = 4;
/** Accounts to attack, one per burst. */
const TARGETS = 160;
const WRONG_PASSWORD = "not the benchmark passphrase";
/** Figure 14. */
const PAIRS = 120;
/** How long the sustained attack after figure 13 runs at most. */
const SUSTAIN_SECONDS = 60;
const CLIENT_ADDRESS = "203.0.113.7";

/** How a burst's attempts were answered. */
interface Tally {
  loginFailed: number;
  /** `TOO_MANY_ATTEMPTS` after 1 s: the account's queue was full (LCK-7 v2). */
  queueFull: number;
  /** `TOO_MANY_ATTEMPTS` after longer: a throttle counter was past its limit (LCK-9). */
  throttled: number;
  other: Record<string, number>;
}

function count(tally: Tally, answer: { isErr(): boolean; error?: unknown }) {
  if (!answer.isErr()) {
    tally.other.ok = (tally.other.ok ?? 0) + 1;
    return;
  }
  const error = answer.error as LoginError;
  if (error.type === "LOGIN_FAILED") tally.loginFailed++;
  else if (error.type === "TOO_MANY_ATTEMPTS") {
    if (error.retryAfter.toMillis() === 1000) tally.queueFull++;
    else tally.throttled++;
  } else tally.other[error.type] = (tally.other[error.type] ?? 0) + 1;
}

/** Moves the world's manual clock by the real time since the previous call. */
function realTime(world: BenchWorld) {
  let last = performance.now();
  return () => {
    const now = performance.now();
    world.clock.advance({ milliseconds: now - last });
    last = now;
  };
}

const emptyTally = (): Tally => ({ loginFailed: 0, queueFull: 0, throttled: 0, other: {} });

/**
 * Bursts of BURST parallel wrong-password logins on `world`, burst `i` for
 * `targets[i]` (round again past the end), each as soon as the one before is
 * answered; the clock follows real time (`tick`).
 */
function attacker(
  world: BenchWorld,
  targets: readonly string[],
  tick: () => void,
  pool: PostgresBench["pool"],
) {
  const state = { bursts: 0, tally: emptyTally() };
  const burst = async () => {
    const target = targets[state.bursts++ % targets.length] ?? "";
    tick();
    const answers = await Promise.all(
      Array.from({ length: BURST }, () =>
        world.panelAccess.login({ email: target, password: WRONG_PASSWORD }),
      ),
    );
    for (const answer of answers) count(state.tally, answer);
  };
  /** Bursts until `stop`; answers the most connections in use and requests waiting for one meanwhile. */
  const start = () => {
    let stopped = false;
    const seen = { busiest: 0, mostWaiting: 0 };
    const watch = setInterval(() => {
      seen.busiest = Math.max(seen.busiest, pool.totalCount - pool.idleCount);
      seen.mostWaiting = Math.max(seen.mostWaiting, pool.waitingCount);
    }, 2);
    const done = (async () => {
      while (!stopped) {
        await burst();
        // Requests come in over the network: let I/O through between bursts answered at once.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    return {
      async stop() {
        stopped = true;
        await done;
        clearInterval(watch);
        await world.panelAccess.settled();
        return seen;
      },
    };
  };
  return { state, burst, start };
}

/** Bare argon2id verifies of `storedHash`, one after another, until `stop`. */
function bareHashing(storedHash: string) {
  let stopped = false;
  const done = (async () => {
    while (!stopped) await verify(storedHash, PASSWORD);
  })();
  return {
    stop() {
      stopped = true;
      return done;
    },
  };
}

/** One account's password step with the right password, timed; answers the time and the refusal, if any. */
async function rightPassword(world: BenchWorld, email: string, tick: () => void) {
  tick();
  const start = performance.now();
  const answer = await world.panelAccess.login({ email, password: PASSWORD });
  const ms = performance.now() - start;
  if (answer.isErr()) return { ms, refused: answer.error };
  if (answer.value.next !== "secondFactor") throw new Error(answer.value.next);
  return { ms, refused: null };
}

async function hotAccount(bench: PostgresBench) {
  const options = benchOptions();
  const world = bench.world(options);
  const emails = await seedMembers(world, OTHERS + TARGETS);
  const others = emails.slice(0, OTHERS);
  const targets = emails.slice(OTHERS);
  await enrol(world, others);
  const tick = realTime(world);
  const hot = attacker(world, targets, tick, bench.pool);

  const refusedOthers: Record<string, number> = {};
  const otherLogin = async (email: string) => {
    const { ms, refused } = await rightPassword(world, email, tick);
    if (refused !== null) refusedOthers[refused.type] = (refusedOthers[refused.type] ?? 0) + 1;
    return ms;
  };

  // Warm-up, not kept: a few logins and one burst.
  for (const email of others.slice(0, 5)) await otherLogin(email);
  await hot.burst();
  await world.panelAccess.settled();
  const warmLoginFailed = hot.state.tally.loginFailed;
  hot.state.tally = emptyTally();
  const warmBursts = hot.state.bursts;

  const atRest: number[] = [];
  const attacked: number[] = [];
  /** The same logins while bare verifies run one after another: the hot account's hashing alone. */
  const control: number[] = [];
  const storedHash = await hash(PASSWORD, { algorithm: 2, ...OWASP_ARGON2ID });
  let busiest = 0;
  let mostWaiting = 0;
  const perBlock = OTHERS / BLOCKS;
  let seconds = 0;
  for (let block = 0; block < BLOCKS; block++) {
    const accounts = others.slice(block * perBlock, (block + 1) * perBlock);
    for (const email of accounts) atRest.push(await otherLogin(email));
    const start = performance.now();
    const running = hot.start();
    for (const email of accounts) attacked.push(await otherLogin(email));
    const seen = await running.stop();
    seconds += (performance.now() - start) / 1000;
    busiest = Math.max(busiest, seen.busiest);
    mostWaiting = Math.max(mostWaiting, seen.mostWaiting);
    const hashing = bareHashing(storedHash);
    for (const email of accounts) control.push(await otherLogin(email));
    await hashing.stop();
  }
  if (hot.state.bursts > TARGETS) throw new Error(`more than ${TARGETS} bursts: targets reused`);
  const { tally } = hot.state;
  const measuredBursts = hot.state.bursts - warmBursts;
  const locked = world.mailer.sent.filter((m) => m.kind === "accountLocked").length;
  const perBurst = (n: number) => f(n / measuredBursts, 1);
  const refused = Object.entries(refusedOthers);

  console.log(
    `13. hot-account isolation, PostgreSQL pool of ${POOL}: other accounts' password step (right password) ` +
      `under attack / at rest: ${f(median(attacked) / median(atRest))} (ratio of medians, ${attacked.length} ` +
      `logins a side in ${BLOCKS} blocks, rest / attack / control in turn; medians ${f(median(attacked), 2)} ms / ${f(median(atRest), 2)} ms, ` +
      `p90 ${f(percentile(attacked, 90), 2)} ms / ${f(percentile(atRest, 90), 2)} ms; target ≤ 2)`,
  );
  console.log(
    `    attack: ${measuredBursts} bursts of ${BURST} wrong-password logins for one e-mail (a new account each), ` +
      `no clientAddress, library defaults (maxQueuedPerAccount 16, throttle on), ${f(seconds, 1)} s in all; ` +
      `answered per burst: LOGIN_FAILED ${perBurst(tally.loginFailed)}, TOO_MANY_ATTEMPTS ` +
      `${perBurst(tally.queueFull + tally.throttled)} (queue full ${perBurst(tally.queueFull)}, ` +
      `throttle ${perBurst(tally.throttled)})${otherAnswers(tally)}; ${locked} accounts locked, ` +
      `warm-up burst included (LOGIN_FAILED ${warmLoginFailed} in it); connections in use at most ` +
      `${busiest} of ${POOL}, requests waiting for one at most ${mostWaiting}`,
  );
  console.log(
    `    control: the same logins while bare argon2id verifies run one after another (no requests, no ` +
      `database), / at rest: ${f(median(control) / median(atRest))} (median ${f(median(control), 2)} ms)`,
  );
  if (refused.length > 0) {
    console.log(
      `    other accounts' logins refused during the figure: ${refused.map(([t, n]) => `${t} ${n}`).join(", ")} ` +
        `(their times are in the figure all the same)`,
    );
  }
  await sustained(bench, options, world, others, targets.slice(hot.state.bursts));
  return { emails: others, options };
}

/**
 * After figure 13, on a fresh instance (counters at zero): the same bursts
 * without a pause, other accounts logging in one after another meanwhile,
 * until one of them is refused or SUSTAIN_SECONDS have passed. The
 * per-instance counter (LCK-9) counts every attempt, refused ones included.
 */
async function sustained(
  bench: PostgresBench,
  options: PanelAccessOptions,
  seeded: BenchWorld,
  others: readonly string[],
  targets: readonly string[],
) {
  const world = bench.world(options);
  world.clock.set(seeded.clock.now());
  const tick = realTime(world);
  const hot = attacker(world, targets, tick, bench.pool);
  const running = hot.start();
  const start = performance.now();
  let logins = 0;
  let refused: LoginError | null = null;
  while (refused === null && performance.now() - start < SUSTAIN_SECONDS * 1000) {
    ({ refused } = await rightPassword(world, others[logins++ % others.length] ?? "", tick));
  }
  const seconds = (performance.now() - start) / 1000;
  const attempts = hot.state.bursts * BURST;
  await running.stop();
  const how =
    refused === null
      ? `none refused in ${f(seconds, 1)} s`
      : `login ${logins} refused after ${f(seconds, 1)} s with ${refused.type}` +
        (refused.type === "TOO_MANY_ATTEMPTS"
          ? ` (retry after ${f(refused.retryAfter.toMillis() / 1000, 1)} s)`
          : "");
  console.log(
    `    sustained (fresh instance, clock following real time): ${hot.state.bursts} bursts, ${attempts} hot attempts ` +
      `(${f(attempts / seconds, 0)}/s), other accounts' right-password logins: ${how}`,
  );
}

function otherAnswers(tally: Tally): string {
  const entries = Object.entries(tally.other);
  return entries.length === 0 ? "" : `, ${entries.map(([t, n]) => `${t} ${n}`).join(", ")}`;
}

/** Figure 14: the password step with throttling on / off, back to back, on two instances of one store. */
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

async function main() {
  console.log(
    `\nAbuse: argon2id m=${OWASP_ARGON2ID.memoryCost} KiB, t=${OWASP_ARGON2ID.timeCost}; library defaults ` +
      `(maxQueuedPerAccount, throttle)`,
  );
  const bench = await openPostgres("panel_access_abuse_bench", "Figures 13 and 14b", POOL);
  try {
    let postgres: Awaited<ReturnType<typeof hotAccount>> | null = null;
    if (bench !== null) {
      console.log(`PostgreSQL at ${shownUrl()}, schema ${bench.schema}`);
      postgres = await hotAccount(bench);
    }

    // 14a. Memory adapter: two instances on one store, one with throttling off.
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

    // 14b. PostgreSQL: counters in PostgresThrottleStore, on the schema of figure 13.
    if (bench !== null && postgres !== null) {
      const { schema, counting } = bench;
      const throttled = bench.world(
        postgres.options,
        new PostgresThrottleStore(counting.driver, { schema }),
      );
      const unthrottled = bench.world({ ...postgres.options, throttle: { enabled: false } });
      const email = postgres.emails[0] ?? "";
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
  } finally {
    await bench?.close();
  }
}

await main();
