/**
 * Figure 15 of `bench/postgres.ts`: what the durable audit write (AUD-2) adds
 * to a login on PostgreSQL. A complete login (the password step, then the
 * TOTP second step; 2FA set up) / one bare `@node-rs/argon2` verify, on two
 * library instances over the same schema, driver and clock: one whose store
 * writes the audit events, one whose store drops them (`appendAuditEvents`
 * does nothing; every other call passes through, on both sides alike).
 * The three are measured in triples, in an order that cycles through all six,
 * so drift affects them alike; each side logs in with its own 20 accounts
 * (a TOTP code is accepted once per time step, TFA-10), the clock moves 30 s
 * per triple, and `settled()` runs after each triple, untimed.
 */
import { hash, verify } from "@node-rs/argon2";
import type { LockScope, PanelAccessOptions, StoragePort, StorageTx } from "@panel-access/core";
import type { PostgresBench } from "./postgres-world.js";
import { type BenchWorld, type enrol, PASSWORD } from "./seed.js";
import { f, median, pairedRatio, time } from "./stats.js";

const TRIPLES = 200;
const WARM_UP = 12;
const ACCOUNTS = 20;

type Enrolled = Awaited<ReturnType<typeof enrol>>[number];

/**
 * The store with `appendAuditEvents` replaced: passed on to the PostgreSQL
 * store's transaction (`write`), or dropped. While `log` is set, each append
 * adds the types of its events to it.
 */
class AuditSwitch implements StoragePort {
  log: string[][] | null = null;
  #inner: StoragePort | null = null;

  constructor(private readonly write: boolean) {}

  /** Wraps `inner`: for `WorldParts.store`. */
  over(inner: StoragePort): this {
    this.#inner = inner;
    return this;
  }

  transact<T>(scope: LockScope, work: (tx: StorageTx) => Promise<T>): Promise<T> {
    if (this.#inner === null) throw new Error("AuditSwitch over no store");
    return this.#inner.transact(scope, (tx) =>
      work({
        ...tx,
        appendAuditEvents: async (records) => {
          this.log?.push(records.map((record) => record.type));
          if (this.write) await tx.appendAuditEvents(records);
        },
      }),
    );
  }
}

interface Side {
  readonly world: BenchWorld;
  readonly store: AuditSwitch;
  readonly accounts: readonly Enrolled[];
  /** Per timed login: the whole, the password step, the second step (ms). */
  readonly times: { total: number[]; password: number[]; second: number[] };
}

/** One complete login of `account`: the password step, then the TOTP code. */
async function completeLogin(world: BenchWorld, account: Enrolled) {
  const start = performance.now();
  const step = (
    await world.panelAccess.login({ email: account.email, password: PASSWORD })
  )._unsafeUnwrap();
  if (step.next !== "secondFactor") throw new Error(step.next);
  const passwordDone = performance.now();
  const code = account.code();
  (await world.panelAccess.verifySecondFactor({ challenge: step.challenge, code }))._unsafeUnwrap();
  const end = performance.now();
  return { total: end - start, password: passwordDone - start, second: end - passwordDone };
}

/** One untimed complete login on `side`: the event types each step appended and its SQL statements. */
async function probe(bench: PostgresBench, side: Side) {
  const account = side.accounts[0];
  if (account === undefined) throw new Error("no account");
  side.world.clock.advance({ seconds: 30 });
  const steps: { events: string; statements: number }[] = [];
  const around = async <T>(run: () => PromiseLike<T>) => {
    side.store.log = [];
    bench.counting.reset();
    const answer = await run();
    const appends = side.store.log.map((types) => types.join(" + "));
    steps.push({ events: appends.join("; ") || "none", statements: bench.counting.statements() });
    side.store.log = null;
    return answer;
  };
  const step = (
    await around(() => side.world.panelAccess.login({ email: account.email, password: PASSWORD }))
  )._unsafeUnwrap();
  if (step.next !== "secondFactor") throw new Error(step.next);
  await around(() =>
    side.world.panelAccess.verifySecondFactor({ challenge: step.challenge, code: account.code() }),
  );
  await side.world.panelAccess.settled();
  return steps;
}

const auditRows = async ({ pool, schema }: PostgresBench) =>
  Number(
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".audit_events`))
      .rows[0]?.n,
  );

/** Figure 15; answers its printed lines. `enrolled` (2 × 20 accounts or more) use `clock`'s time. */
export async function auditCost(
  bench: PostgresBench,
  options: PanelAccessOptions,
  clock: BenchWorld["clock"],
  enrolled: readonly Enrolled[],
): Promise<string[]> {
  const side = (write: boolean, accounts: readonly Enrolled[]): Side => {
    const store = new AuditSwitch(write);
    const world = bench.world(options, undefined, { clock, store: (inner) => store.over(inner) });
    return { world, store, accounts, times: { total: [], password: [], second: [] } };
  };
  const audited = side(true, enrolled.slice(0, ACCOUNTS));
  const silent = side(false, enrolled.slice(ACCOUNTS, 2 * ACCOUNTS));
  if (silent.accounts.length < ACCOUNTS) throw new Error(`needs ${2 * ACCOUNTS} enrolled accounts`);
  const storedHash = await hash(PASSWORD, { algorithm: 2, ...options.argon2 });
  const verifyTimes: number[] = [];

  const auditedProbe = await probe(bench, audited);
  const silentProbe = await probe(bench, silent);
  const rowsBefore = await auditRows(bench);
  for (let i = -WARM_UP; i < TRIPLES; i++) {
    clock.advance({ seconds: 30 });
    const keep = i >= 0;
    const login = (s: Side) => async () => {
      const t = await completeLogin(s.world, s.accounts[(i + WARM_UP) % ACCOUNTS] as Enrolled);
      if (keep)
        for (const key of ["total", "password", "second"] as const) s.times[key].push(t[key]);
    };
    const bare = async () => {
      const t = await time(() => verify(storedHash, PASSWORD));
      if (keep) verifyTimes.push(t);
    };
    const runs = [login(audited), login(silent), bare];
    // The six orders of three, in turn: each side runs first, second and third alike.
    const order = [
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 2, 1],
      [2, 1, 0],
      [1, 0, 2],
    ][(i + WARM_UP) % 6] as number[];
    for (const k of order) await runs[k]?.();
    await Promise.all([audited.world.panelAccess.settled(), silent.world.panelAccess.settled()]);
  }
  const written = (await auditRows(bench)) - rowsBefore;

  const withAudit = pairedRatio(audited.times.total, verifyTimes);
  const withoutAudit = pairedRatio(silent.times.total, verifyTimes);
  // Per triple, how much the ratio grows: (with − without) / bare, the same bare verify for both.
  const growth = median(
    audited.times.total.map((t, n) => (t - (silent.times.total[n] ?? t)) / (verifyTimes[n] ?? 1)),
  );
  const difference = (key: keyof Side["times"]) =>
    f(median(audited.times[key].map((t, n) => t - (silent.times[key][n] ?? t))), 3);
  const ms = (values: number[]) => f(median(values), 2);
  const steps = (p: typeof auditedProbe) =>
    `password step ${p[0]?.statements}, second step ${p[1]?.statements}`;
  return [
    `15. complete login on PostgreSQL (password step + TOTP second step) / bare verify, with the durable ` +
      `audit write: ${f(withAudit)}, without it: ${f(withoutAudit)}; grows by ${f(withAudit - withoutAudit)} ` +
      `(the difference of the two; per triple, median of (with − without) / bare: ${f(growth)}) ` +
      `(median of ${TRIPLES} interleaved triples; medians ${ms(audited.times.total)} ms / ` +
      `${ms(silent.times.total)} ms / bare ${ms(verifyTimes)} ms; target: grows by ≤ 0.02)`,
    `    audit appends per complete login: password step ${auditedProbe[0]?.events}, second step ` +
      `${auditedProbe[1]?.events}; with / without per triple, median difference ${difference("total")} ms ` +
      `(password step ${difference("password")} ms, second step ${difference("second")} ms), ` +
      `paired ratio ${f(pairedRatio(audited.times.total, silent.times.total))}`,
    `    SQL statements, BEGIN and COMMIT included, with the audit write: ${steps(auditedProbe)}; without: ` +
      `${steps(silentProbe)}; audit rows written meanwhile: ${written} (${TRIPLES + WARM_UP} logins a side)`,
  ];
}
