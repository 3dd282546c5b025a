/**
 * Figure 13 of `bench/abuse.ts`: hot-account isolation (LCK-7 v2) on
 * PostgreSQL, then the same attack sustained on a fresh instance.
 */
import { hash } from "@node-rs/argon2";
import { type LoginError, OWASP_ARGON2ID, type PanelAccessOptions } from "@panel-access/core";
import { benchOptions, type PostgresBench } from "../postgres-world.js";
import { type BenchWorld, enrol, PASSWORD, seedMembers } from "../seed.js";
import { f, median, percentile } from "../stats.js";
import {
  attacker,
  BURST,
  bareHashing,
  emptyTally,
  otherAnswers,
  realTime,
  rightPassword,
} from "./attacker.js";

/** Connections the library may hold. */
export const POOL = 10;
/** Other accounts, each logged in once at rest, once under attack and once in the control. */
const OTHERS = 40;
/** Blocks of the other logins: at rest, under attack, control, in turn, so drift touches every side. */
const BLOCKS = 4;
/** Accounts to attack, one per burst. */
const TARGETS = 160;
/** How long the sustained attack after figure 13 runs at most. */
const SUSTAIN_SECONDS = 60;

/** What figure 14b reuses: the other accounts (2FA set up) and the options of their instance. */
export interface HotAccountRun {
  readonly emails: string[];
  readonly options: PanelAccessOptions;
}

export async function hotAccount(bench: PostgresBench): Promise<HotAccountRun> {
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
  const locked = world.mailer.sent.filter((mail) => mail.kind === "accountLocked").length;
  const perBurst = (answers: number) => f(answers / measuredBursts, 1);
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
      `    other accounts' logins refused during the figure: ${refused.map(([type, times]) => `${type} ${times}`).join(", ")} ` +
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
