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
import { OWASP_ARGON2ID } from "@panel-access/core";
import { type HotAccountRun, hotAccount, POOL } from "./abuse/hot-account.js";
import { throttleCostOnMemory, throttleCostOnPostgres } from "./abuse/throttle-cost.js";
import { openPostgres, shownUrl } from "./postgres-world.js";

async function main() {
  console.log(
    `\nAbuse: argon2id m=${OWASP_ARGON2ID.memoryCost} KiB, t=${OWASP_ARGON2ID.timeCost}; library defaults ` +
      `(maxQueuedPerAccount, throttle)`,
  );
  const bench = await openPostgres("panel_access_abuse_bench", "Figures 13 and 14b", POOL);
  try {
    let figure13: HotAccountRun | null = null;
    if (bench !== null) {
      console.log(`PostgreSQL at ${shownUrl()}, schema ${bench.schema}`);
      figure13 = await hotAccount(bench);
    }
    await throttleCostOnMemory();
    if (bench !== null && figure13 !== null) await throttleCostOnPostgres(bench, figure13);
  } finally {
    await bench?.close();
  }
}

await main();
