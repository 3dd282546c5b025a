/**
 * `pnpm bench` (second part): adapter-postgres measured side by side with the
 * memory adapter, same argon2id parameters. Needs the server at DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test); says so and stops without one.
 */
import { createInMemoryPanelAccess } from "@panel-access/testkit";
import { auditCost } from "./postgres-audit.js";
import { sessionCheckFigures } from "./postgres-sessions.js";
import { benchOptions, openPostgres, shownUrl } from "./postgres-world.js";
import { enrol, PASSWORD, seedMembers } from "./seed.js";
import { f, median, time } from "./stats.js";

const CONCURRENT = 200;
const ROUNDS = 3;
const SAMPLES = 60;

async function main() {
  const bench = await openPostgres("panel_access_bench", "adapter-postgres figures");
  if (bench === null) return;
  const { pool, schema, counting } = bench;
  const options = benchOptions();
  const postgres = bench.world(options);
  const memory = createInMemoryPanelAccess(options);
  try {
    console.log(
      `\nadapter-postgres: PostgreSQL at ${shownUrl()}, pool of ${bench.poolSize}, schema ${schema}`,
    );
    const emails = await seedMembers(postgres, CONCURRENT);
    await seedMembers(memory, CONCURRENT);
    const enrolled = await enrol(postgres, emails);
    await enrol(memory, emails);

    // 7. 200 concurrent password steps (accounts with 2FA set up), Postgres vs memory.
    const walls = { postgres: [] as number[], memory: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, world] of [
        ["postgres", postgres],
        ["memory", memory],
      ] as const) {
        walls[name].push(
          await time(() =>
            Promise.all(
              emails.map((email) => world.panelAccess.login({ email, password: PASSWORD })),
            ),
          ),
        );
      }
    }
    const ratio = median(walls.memory) / median(walls.postgres);

    // 8. Round trips one login makes, BEGIN and COMMIT included.
    const first = enrolled[0];
    if (first === undefined) throw new Error("nothing enrolled");
    counting.reset();
    const step = (
      await postgres.panelAccess.login({ email: first.email, password: PASSWORD })
    )._unsafeUnwrap();
    const passwordStatements = counting.statements();
    if (step.next !== "secondFactor") throw new Error(step.next);
    postgres.clock.advance({ seconds: 30 });
    counting.reset();
    (
      await postgres.panelAccess.verifySecondFactor({
        challenge: step.challenge,
        code: first.code(),
      })
    )._unsafeUnwrap();
    const secondStatements = counting.statements();

    // 17 and 18. The session check (SES-3) against a bare primary-key SELECT.
    const sessionFigures = await sessionCheckFigures(
      bench,
      postgres.panelAccess,
      postgres.clock,
      enrolled,
    );

    // 15. What the durable audit write (AUD-2) adds to a complete login (bench/postgres-audit.ts).
    const figure15 = await auditCost(bench, options, postgres.clock, enrolled);

    // 9. Login latency with 1,000 and with 1,000,000 accounts in the table.
    const fill = async (upTo: number) => {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${schema}".accounts`,
      );
      const from = Number(rows[0]?.n ?? 0) + 1;
      if (from > upTo) return;
      await pool.query(
        `INSERT INTO "${schema}".accounts (id, email, created_at)
         SELECT 'filler_' || g, 'filler' || g || '@bench.test', now() FROM generate_series($1::int, $2::int) AS g`,
        [from, upTo],
      );
      // VACUUM too: the autovacuum a fresh million rows call for would otherwise run during the samples.
      await pool.query(`VACUUM (ANALYZE) "${schema}".accounts`);
    };
    const latency = async () => {
      const samples: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const email = emails[i % emails.length] ?? first.email;
        samples.push(await time(() => postgres.panelAccess.login({ email, password: PASSWORD })));
      }
      return median(samples);
    };
    await fill(1_000);
    const small = await latency();
    const fillStart = performance.now();
    await fill(1_000_000);
    const fillSeconds = (performance.now() - fillStart) / 1000;
    const large = await latency();

    console.log(
      `7. 200 concurrent logins, throughput on Postgres / on memory, median of ${ROUNDS} rounds: ` +
        `${f((CONCURRENT / median(walls.postgres)) * 1000, 1)}/s / ${f((CONCURRENT / median(walls.memory)) * 1000, 1)}/s ` +
        `= ${f(ratio)} (target ≥ 0.95)`,
    );
    console.log(
      `8. round trips to PostgreSQL per login step, BEGIN and COMMIT included: password step ${passwordStatements} ` +
        `(target ≤ 3), second step ${secondStatements} (target ≤ 5, one transaction)`,
    );
    console.log(
      `9. password-step latency, median of ${SAMPLES}: ${f(small, 2)} ms with 1,000 accounts, ${f(large, 2)} ms with ` +
        `1,000,000 (seeded in ${f(fillSeconds, 1)} s) = ${f(large / small)} (target ≤ 1.05; 10M: pnpm bench:scale)`,
    );
    for (const line of figure15) console.log(line);
    for (const line of sessionFigures) console.log(line);
  } finally {
    await bench.close();
  }
}

await main();
