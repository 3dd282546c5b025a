/**
 * The attacker of `bench/abuse.ts` and what the figures time beside it: bursts
 * of wrong-password logins for one e-mail, bare argon2id verifies, one
 * right-password login, and the tally of how the attempts were answered.
 */
import { verify } from "@node-rs/argon2";
import type { LoginError } from "@panel-access/core";
import type { PostgresBench } from "../postgres-world.js";
import { type BenchWorld, PASSWORD } from "../seed.js";

/** Parallel attempts per burst. */
export const BURST = 200;
const WRONG_PASSWORD = "not the benchmark passphrase";

/** How a burst's attempts were answered. */
export interface Tally {
  loginFailed: number;
  /** `TOO_MANY_ATTEMPTS` after 1 s: the account's queue was full (LCK-7 v2). */
  queueFull: number;
  /** `TOO_MANY_ATTEMPTS` after longer: a throttle counter was past its limit (LCK-9). */
  throttled: number;
  other: Record<string, number>;
}

export const emptyTally = (): Tally => ({ loginFailed: 0, queueFull: 0, throttled: 0, other: {} });

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

/** The answers outside the tally's named ones, as `, TYPE n, …` ("" if none). */
export function otherAnswers(tally: Tally): string {
  const entries = Object.entries(tally.other);
  return entries.length === 0
    ? ""
    : `, ${entries.map(([type, times]) => `${type} ${times}`).join(", ")}`;
}

/** Moves the world's manual clock by the real time since the previous call. */
export function realTime(world: BenchWorld) {
  let last = performance.now();
  return () => {
    const now = performance.now();
    world.clock.advance({ milliseconds: now - last });
    last = now;
  };
}

/**
 * Bursts of BURST parallel wrong-password logins on `world`, burst `i` for
 * `targets[i]` (round again past the end), each as soon as the one before is
 * answered; the clock follows real time (`tick`).
 */
export function attacker(
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
export function bareHashing(storedHash: string) {
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
export async function rightPassword(world: BenchWorld, email: string, tick: () => void) {
  tick();
  const start = performance.now();
  const answer = await world.panelAccess.login({ email, password: PASSWORD });
  const ms = performance.now() - start;
  if (answer.isErr()) return { ms, refused: answer.error };
  if (answer.value.next !== "secondFactor") throw new Error(answer.value.next);
  return { ms, refused: null };
}
