/**
 * `pnpm bench`, PostgreSQL part: the session check (SES-3) against the
 * cheapest read there is, a bare `SELECT` of one session row by primary key,
 * through the same pool, both with the same number of concurrent callers.
 */
import type { PanelAccess } from "@panel-access/core";
import type { ManualClock } from "@panel-access/testkit";
import type { PostgresBench } from "./postgres-world.js";
import { openSessions } from "./seed.js";
import { f, median, time } from "./stats.js";

const CALLERS = 50;
const CHECKS_PER_CALLER = 100;
const ROUNDS = 5;

/** An account with 2FA set up, as `enrol` answers it. */
interface Enrolled {
  readonly email: string;
  readonly code: () => string;
}

/**
 * Figures 17 and 18: checks per second through `validateSession` / bare
 * primary-key SELECTs per second, `CALLERS` concurrent callers each running
 * `CHECKS_PER_CALLER` in a row, median of `ROUNDS` alternating rounds; and
 * the round trips of one check in the steady state and of the one check per
 * interval that records the use.
 */
export async function sessionCheckFigures(
  bench: PostgresBench,
  panelAccess: PanelAccess,
  clock: ManualClock,
  enrolled: readonly Enrolled[],
): Promise<string[]> {
  clock.advance({ seconds: 30 }); // a fresh TOTP step for each code
  const tokens = await openSessions(panelAccess, enrolled.slice(0, CALLERS));
  const ids = tokens.map((token) => token.split(".")[0] ?? "");
  const bare = (id: string) =>
    bench.pool.query(
      `SELECT id, account_id, secret_hash, method, created_at, last_used_at, expires_at
       FROM "${bench.schema}".sessions WHERE id = $1`,
      [id],
    );
  const check = async (sessionToken: string) => {
    const answer = await panelAccess.validateSession({ sessionToken });
    if (answer.isErr()) throw new Error(answer.error.type);
  };
  const callers = <T>(keys: readonly T[], run: (key: T) => Promise<unknown>) =>
    Promise.all(
      keys.map(async (key) => {
        for (let i = 0; i < CHECKS_PER_CALLER; i++) await run(key);
      }),
    );
  // Warm both, then alternate rounds so that drift touches both alike.
  await callers(tokens, check);
  await callers(ids, bare);
  const library: number[] = [];
  const primaryKey: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    library.push(await time(() => callers(tokens, check)));
    primaryKey.push(await time(() => callers(ids, bare)));
  }
  const perSecond = (wall: number) => ((CALLERS * CHECKS_PER_CALLER) / wall) * 1000;

  const [token] = tokens;
  if (token === undefined) throw new Error("no session");
  bench.counting.reset();
  await check(token);
  const steady = bench.counting.statements();
  clock.advance({ minutes: 1 });
  bench.counting.reset();
  await check(token);
  const recording = bench.counting.statements();
  return [
    `17. session check (SES-3), ${CALLERS} concurrent callers, validateSession on PostgreSQL / bare SELECT of one row ` +
      `by primary key through the same pool, median of ${ROUNDS} rounds: ${f(perSecond(median(library)), 0)}/s / ` +
      `${f(perSecond(median(primaryKey)), 0)}/s = ${f(median(primaryKey) / median(library))} (target ≥ 0.80)`,
    `18. round trips per session check: ${steady} in the steady state, with no write (target 1, 0 writes); ` +
      `${recording} for the one check per interval that records the last use`,
  ];
}
