/**
 * `pnpm bench:scale` (issue 18): the password step and the session check with
 * 1,000, 1,000,000 and 10,000,000 accounts and sessions in the tables, side
 * by side, and an EXPLAIN (ANALYZE, BUFFERS) of every statement the hot paths
 * run, captured at run time. Not part of `pnpm bench` or CI: it seeds about
 * 10 GB and takes minutes. Needs the server at DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test); the schema is dropped at the end,
 * also on failure.
 *
 * SCALE_STAGES=1000,100000 (comma-separated row counts, ascending) runs a
 * smaller ladder, for trying the script out.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { hash, verify } from "@node-rs/argon2";
import {
  PostgresStore,
  pgDriver,
  type SqlClient,
  type SqlDriver,
} from "@panel-access/adapter-postgres";
import { OWASP_ARGON2ID } from "@panel-access/core";
import pg from "pg";
import { benchOptions, DATABASE_URL, openPostgres, shownUrl } from "./postgres-world.js";
import { enrol, openSessions, PASSWORD, seedMembers } from "./seed.js";
import { backToBack, f, median, pairedRatio, time } from "./stats.js";

const STAGES = (process.env.SCALE_STAGES ?? "1000,1000000,10000000")
  .split(",")
  .map((s) => Number(s.replaceAll("_", "")));
/** Accounts that really log in (registered and enrolled through the library). */
const MEMBERS = 60;
const LOGIN_SAMPLES = 120;
const SESSION_SAMPLES = 1000;
/** Pairs of the drift check: each operation back to back with its bare floor. */
const LOGIN_PAIRS = 60;
const SESSION_PAIRS = 300;
const BATCH = 1_000_000;
const FILLER_PANELS = 1_000;

// ---------------------------------------------------------------------------
// A driver that records what goes through it.

/** One statement a hot path sent, as it was sent. */
interface Captured {
  readonly sql: string;
  readonly params: readonly unknown[];
  /** Inside a `transaction` (else a `statement` of its own, or a script). */
  readonly where: "transaction" | "statement" | "script" | "prelude";
}

/** What one EXPLAIN (ANALYZE, BUFFERS) said about a captured statement. */
interface Explained {
  readonly step: string;
  readonly sql: string;
  readonly nodes: string[];
  readonly seqScans: string[];
  readonly planningMs: number;
  readonly executionMs: number;
  readonly hit: number;
  readonly read: number;
  readonly error?: string;
}

/** Per operation: round trips, time spent waiting for them, time a connection was held. */
interface OpCounters {
  statements: number;
  roundTripMs: number;
  heldMs: number;
}

type WithPrelude = <T>(prelude: string, work: (client: SqlClient) => Promise<T>) => Promise<T>;

const EXPLAINABLE = /^\s*(WITH|SELECT|UPDATE|DELETE|INSERT)\b/i;
const SKIPPED = /pg_advisory|^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET)\b/i;

/**
 * Wraps `inner` (the shape of `countingDriver`): counts and times every
 * round trip; while `capture` is set, records each statement; while
 * `explainStep` is set, runs an EXPLAIN (ANALYZE, BUFFERS) of each data
 * statement just before it, in the same transaction inside a savepoint that
 * is rolled back (a statement outside a transaction: in BEGIN … ROLLBACK on
 * a connection of its own), so that a write is explained on the very rows it
 * meets and leaves nothing behind; an INSERT replayed afterwards would
 * collide with the row it made, a DELETE would find nothing.
 */
function capturingDriver(inner: SqlDriver) {
  const op: OpCounters = { statements: 0, roundTripMs: 0, heldMs: 0 };
  let capture: Captured[] | null = null;
  let explainStep: string | null = null;
  const explained: Explained[] = [];

  const timed = async <T>(run: () => Promise<T>): Promise<T> => {
    op.statements++;
    const start = performance.now();
    try {
      return await run();
    } finally {
      op.roundTripMs += performance.now() - start;
    }
  };
  const explain = async (client: SqlClient, sql: string, params: readonly unknown[]) => {
    const step = explainStep;
    if (step === null || !EXPLAINABLE.test(sql) || SKIPPED.test(sql)) return;
    try {
      const { rows } = await client.query<{ "QUERY PLAN": unknown }>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
        params,
      );
      explained.push(summarise(step, sql, rows[0]?.["QUERY PLAN"]));
    } catch (cause) {
      explained.push({
        step,
        sql,
        nodes: [],
        seqScans: [],
        planningMs: 0,
        executionMs: 0,
        hit: 0,
        read: 0,
        error: String(cause),
      });
    }
  };
  const wrap = (client: SqlClient): SqlClient => ({
    query: async (sql, params = []) => {
      capture?.push({ sql, params, where: "transaction" });
      if (explainStep !== null && EXPLAINABLE.test(sql) && !SKIPPED.test(sql)) {
        await client.query("SAVEPOINT scale_explain");
        await explain(client, sql, params);
        await client.query("ROLLBACK TO SAVEPOINT scale_explain");
      }
      return timed(() => client.query(sql, params));
    },
    exec: (sql) => {
      capture?.push({ sql, params: [], where: "script" });
      return timed(() => client.exec(sql));
    },
  });
  const rolledBack = new Error("scale: explained, rolled back");
  // `transactionWith` (BEGIN and a prelude of advisory locks in one round
  // trip) is passed on when the driver has it, whatever its declared type.
  const { transactionWith } = inner as unknown as { transactionWith?: WithPrelude };
  const withPrelude = transactionWith && {
    transactionWith: <T>(prelude: string, work: (client: SqlClient) => Promise<T>) => {
      capture?.push({ sql: prelude, params: [], where: "prelude" });
      op.statements += 2; // BEGIN with its prelude, COMMIT or ROLLBACK
      const start = performance.now();
      return (
        transactionWith.call(inner, prelude, (client) => work(wrap(client))) as Promise<T>
      ).finally(() => {
        op.heldMs += performance.now() - start;
      });
    },
  };

  const driver: SqlDriver = {
    transaction: (work) => {
      op.statements += 2; // BEGIN, COMMIT or ROLLBACK
      const start = performance.now();
      return inner
        .transaction((client) => work(wrap(client)))
        .finally(() => {
          op.heldMs += performance.now() - start;
        });
    },
    ...withPrelude,
    ...(inner.statement && {
      statement: async (sql: string, params: readonly unknown[] = []) => {
        capture?.push({ sql, params, where: "statement" });
        if (explainStep !== null) {
          await inner
            .transaction(async (client) => {
              await explain(client, sql, params);
              throw rolledBack;
            })
            .catch((cause) => {
              if (cause !== rolledBack) throw cause;
            });
        }
        const start = performance.now();
        try {
          return await timed(
            () => inner.statement?.(sql, params) ?? Promise.reject(new Error("no statement")),
          );
        } finally {
          op.heldMs += performance.now() - start;
        }
      },
    }),
  };
  return {
    driver,
    /** Starts a fresh operation's counters (and a capture when `record`). */
    begin(record = false) {
      op.statements = 0;
      op.roundTripMs = 0;
      op.heldMs = 0;
      capture = record ? [] : null;
    },
    /** The counters (and captured statements) since `begin`. */
    end(): OpCounters & { captured: Captured[] } {
      const captured = capture ?? [];
      capture = null;
      return { ...op, captured };
    },
    explainAs(step: string | null) {
      explainStep = step;
    },
    explained,
  };
}

interface PlanNode {
  "Node Type"?: string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  "Parent Relationship"?: string;
  Plans?: PlanNode[];
}

/** Big tables, by estimated rows: a Seq Scan on one of these is flagged. */
let bigTables = new Set<string>();

function summarise(step: string, sql: string, plan: unknown): Explained {
  const top = (Array.isArray(plan) ? plan[0] : plan) as {
    Plan: PlanNode;
    "Planning Time"?: number;
    "Execution Time"?: number;
  };
  const nodes: string[] = [];
  const seqScans: string[] = [];
  const walk = (node: PlanNode) => {
    const type = node["Node Type"] ?? "?";
    const on = node["Index Name"] ?? node["Relation Name"];
    nodes.push(on ? `${type}(${on})` : type);
    if (type === "Seq Scan" && node["Relation Name"] && bigTables.has(node["Relation Name"]))
      seqScans.push(node["Relation Name"]);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(top.Plan);
  // A node's buffers include its children's, but not its InitPlans' (a
  // WITH's INSERTs hang there): those are added. Planning buffers are not counted.
  let hit = top.Plan["Shared Hit Blocks"] ?? 0;
  let read = top.Plan["Shared Read Blocks"] ?? 0;
  const initPlans = (node: PlanNode) => {
    for (const child of node.Plans ?? []) {
      if (child["Parent Relationship"] === "InitPlan") {
        hit += child["Shared Hit Blocks"] ?? 0;
        read += child["Shared Read Blocks"] ?? 0;
      }
      initPlans(child);
    }
  };
  initPlans(top.Plan);
  return {
    step,
    sql,
    nodes,
    seqScans,
    planningMs: top["Planning Time"] ?? 0,
    executionMs: top["Execution Time"] ?? 0,
    hit,
    read,
  };
}

// ---------------------------------------------------------------------------
// CPU time, ours and the server backend's.

/** CPU milliseconds a local process has used (Linux /proc), or null when it cannot be read. */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 (1-based); `fields` starts at field 3.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // CLK_TCK = 100
  } catch {
    return null;
  }
}

const ourCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// ---------------------------------------------------------------------------

const n = (value: number) => value.toLocaleString("en-US");
const oneLine = (sql: string, schema: string) =>
  sql.replaceAll(`"${schema}".`, "").replace(/\s+/g, " ").trim();

async function main() {
  const wallStart = performance.now();
  const bench = await openPostgres("panel_access_scale", "bench:scale", 4);
  if (bench === null) return;
  const { pool, schema } = bench;
  const s = `"${schema}"`;
  // The measured instance has a pool of one connection, never closed while
  // idle: its server backend is one process whose CPU time can be read.
  const measuredPool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: 1,
    idleTimeoutMillis: 0,
  });
  const capture = capturingDriver(pgDriver(measuredPool));
  const world = bench.world(benchOptions(), undefined, {
    store: () => new PostgresStore(capture.driver, { schema }),
  });
  const { panelAccess, clock } = world;
  // Interrupted (Ctrl-C): cancel this run's statements, drop its schema, exit.
  let stopping = false;
  const interrupted = async (signal: NodeJS.Signals) => {
    stopping = true;
    console.log(`\n${signal}: dropping ${schema}`);
    const client = new pg.Client({ connectionString: DATABASE_URL });
    try {
      await client.connect();
      await client.query(
        `SELECT pg_cancel_backend(pid) FROM pg_stat_activity
         WHERE pid <> pg_backend_pid() AND strpos(query, $1) > 0`,
        [schema],
      );
      await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    } finally {
      await client.end();
      process.exit(130);
    }
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    console.log(
      `\nbench:scale: PostgreSQL at ${shownUrl()}, schema ${schema}, stages ${STAGES.map(n).join(" / ")} rows`,
    );
    const { rows: versionRows } = await pool.query<{ v: string }>("SELECT version() AS v");
    console.log(`  ${versionRows[0]?.v.split(" on ")[0]}; ${(await settings(pool)).join(", ")}`);

    // The accounts that log in: registered, enrolled, each with a session.
    const emails = await seedMembers(world, MEMBERS);
    const enrolled = await enrol(world, emails);
    const tokens = await openSessions(panelAccess, enrolled);
    await panelAccess.settled();
    const at = clock.now().toISO();
    // Two more panels each (one permanent access, one temporary), as a member of several has.
    await pool.query(
      `INSERT INTO ${s}.panels (id, name, sso_enabled, created_at)
       VALUES ('scale_panel_a', 'Scale A', false, $1), ('scale_panel_b', 'Scale B', true, $1)`,
      [at],
    );
    await pool.query(
      `INSERT INTO ${s}.memberships (account_id, panel_id, role, access_type, ends_at, granted_at, updated_at)
       SELECT a.id, p.id, 'analyst', CASE WHEN p.id = 'scale_panel_b' THEN 'temporary' ELSE 'permanent' END,
              CASE WHEN p.id = 'scale_panel_b' THEN $1::timestamptz + interval '90 days' END, $1, $1
       FROM ${s}.accounts a CROSS JOIN (VALUES ('scale_panel_a'), ('scale_panel_b')) AS p (id)
       WHERE a.email LIKE 'member%@bench.test'`,
      [at],
    );
    await pool.query(
      `INSERT INTO ${s}.panels (id, name, sso_enabled, created_at)
       SELECT 'filler_panel_' || g, 'Filler ' || g, false, $1 FROM generate_series(0, $2::int - 1) AS g`,
      [at, FILLER_PANELS],
    );

    const filler = await fillerConnection(pool);
    const counted = async (table: string) =>
      Number(
        (await pool.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${s}.${table}`)).rows[0]
          ?.n,
      );
    const real = { accounts: await counted("accounts"), sessions: await counted("sessions") };
    let accountFillers = 0;
    let sessionFillers = 0;

    /** Fills accounts (with one membership each) and sessions up to `rows` rows each. */
    const fill = async (rows: number) => {
      const started = performance.now();
      const progress = (what: string, done: number, of: number) =>
        console.log(
          `  ${what} ${n(done)} / ${n(of)} (${f((performance.now() - started) / 1000, 1)} s)`,
        );
      const accountsTo = rows - real.accounts;
      while (accountFillers < accountsTo) {
        const to = Math.min(accountsTo, accountFillers + BATCH);
        // Registered and enrolled like a real account: the hash and sealed secret of member 0.
        await filler.query(
          `INSERT INTO ${s}.accounts (id, email, created_at, password_hash, registered_at,
             two_factor_status, sealed_secret, two_factor_since)
           SELECT 'filler_' || g, 'filler' || g || '@bench.test', $3, t.password_hash, $3,
                  'enrolled', t.sealed_secret, $3
           FROM generate_series($1::bigint, $2::bigint) AS g,
                (SELECT password_hash, sealed_secret FROM ${s}.accounts WHERE email = $4) AS t`,
          [accountFillers + 1, to, at, emails[0]],
        );
        await filler.query(
          `INSERT INTO ${s}.memberships (account_id, panel_id, role, access_type, ends_at, granted_at, updated_at)
           SELECT 'filler_' || g, 'filler_panel_' || (g % $3), 'analyst', 'permanent', NULL, $4, $4
           FROM generate_series($1::bigint, $2::bigint) AS g`,
          [accountFillers + 1, to, FILLER_PANELS, at],
        );
        accountFillers = to;
        progress("accounts (and a membership each)", real.accounts + to, rows);
      }
      const sessionsTo = rows - real.sessions;
      while (sessionFillers < sessionsTo) {
        const to = Math.min(sessionsTo, sessionFillers + BATCH);
        await filler.query(
          `INSERT INTO ${s}.sessions (id, account_id, secret_hash, method, created_at, last_used_at, expires_at)
           SELECT 'fs' || lpad(g::text, 20, '0'), 'filler_' || ((g - 1) % $3 + 1),
                  md5(g::text) || md5((-g)::text), 'local', $4, $4, $4::timestamptz + interval '12 hours'
           FROM generate_series($1::bigint, $2::bigint) AS g`,
          [sessionFillers + 1, to, accountFillers, at],
        );
        sessionFillers = to;
        progress("sessions", real.sessions + to, rows);
      }
      const vacuumStart = performance.now();
      await pool.query(
        `VACUUM (ANALYZE) ${s}.accounts, ${s}.sessions, ${s}.memberships, ${s}.panels, ${s}.links`,
      );
      console.log(
        `  seeded to ${n(rows)} in ${f((performance.now() - started) / 1000, 1)} s ` +
          `(VACUUM ANALYZE ${f((performance.now() - vacuumStart) / 1000, 1)} s)`,
      );
    };

    const { rows: pidRows } = await measuredPool.query<{ pid: number }>(
      "SELECT pg_backend_pid() AS pid",
    );
    const backend = Number(pidRows[0]?.pid);

    /** `samples` runs of `run`, one after another: medians and CPU per run. */
    const measure = async (samples: number, run: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < 5; i++) await run(i); // warm-up
      await panelAccess.settled();
      const walls: number[] = [];
      const roundTrips: number[] = [];
      const held: number[] = [];
      let statements = 0;
      const ours = ourCpuMs();
      const theirs = processCpuMs(backend);
      for (let i = 0; i < samples; i++) {
        capture.begin();
        walls.push(await time(() => run(i)));
        await panelAccess.settled();
        const op = capture.end();
        roundTrips.push(op.roundTripMs);
        held.push(op.heldMs);
        statements = op.statements;
      }
      const theirsAfter = processCpuMs(backend);
      return {
        wall: median(walls),
        roundTrip: median(roundTrips),
        held: median(held),
        statements,
        appCpu: (ourCpuMs() - ours) / samples,
        dbCpu: theirs === null || theirsAfter === null ? null : (theirsAfter - theirs) / samples,
      };
    };
    const login = async (i: number) => {
      const step = (
        await panelAccess.login({ email: emails[i % emails.length] ?? "", password: PASSWORD })
      )._unsafeUnwrap();
      if (step.next !== "secondFactor") throw new Error(step.next);
    };
    const check = async (i: number) => {
      (
        await panelAccess.validateSession({ sessionToken: tokens[i % tokens.length] ?? "" })
      )._unsafeUnwrap();
    };

    // The floors each operation is paired with, so that load on the machine
    // (which moves from stage to stage) cancels: a bare argon2id verify of
    // the same parameters, and a bare round trip on the same connection.
    const argon2 = { algorithm: 2, ...OWASP_ARGON2ID };
    const storedHash = await hash(PASSWORD, argon2);
    const bareVerify = () => verify(storedHash, PASSWORD, argon2);
    const bareRoundTrip = () => measuredPool.query("SELECT 1");

    type Figures = Awaited<ReturnType<typeof measure>>;
    const results: {
      rows: number;
      login: Figures;
      session: Figures;
      loginOverVerify: number;
      checkOverRoundTrip: number;
      verify: number;
      roundTrip: number;
    }[] = [];
    let sample = 0;
    for (const rows of STAGES) {
      console.log(`\nstage: ${n(rows)} accounts and ${n(rows)} sessions`);
      await fill(rows);
      const load = loadavg()
        .map((x) => f(x, 2))
        .join(" / ");
      console.log(`  load average (1 / 5 / 15 min) before measuring: ${load}`);
      const loginFigures = await measure(LOGIN_SAMPLES, login);
      const sessionFigures = await measure(SESSION_SAMPLES, check);
      const [logins, verifies] = await backToBack(
        LOGIN_PAIRS,
        () => login(sample++).then(() => panelAccess.settled()),
        bareVerify,
      );
      const [checks, roundTrips] = await backToBack(
        SESSION_PAIRS,
        () => check(sample++),
        bareRoundTrip,
      );
      results.push({
        rows,
        login: loginFigures,
        session: sessionFigures,
        loginOverVerify: pairedRatio(logins, verifies),
        checkOverRoundTrip: pairedRatio(checks, roundTrips),
        verify: median(verifies),
        roundTrip: median(roundTrips),
      });
      console.log(
        `  password step: median ${f(loginFigures.wall, 2)} ms (paired with a bare verify: ${f(pairedRatio(logins, verifies))} × its ${f(median(verifies), 2)} ms); ` +
          `session check: median ${f(sessionFigures.wall, 3)} ms (paired with a bare round trip: ${f(pairedRatio(checks, roundTrips))} × its ${f(median(roundTrips), 3)} ms)`,
      );
    }
    filler.release();
    const dbCpuNow = () => processCpuMs(backend) ?? Number.NaN;

    // The second step, once per member at the largest size: a TOTP code is
    // accepted once per 30-second step per account, so one round of the members.
    clock.advance({ seconds: 30 });
    const second = {
      walls: [] as number[],
      roundTrips: [] as number[],
      statements: 0,
      app: 0,
      db: 0,
    };
    for (const m of enrolled) {
      const step = (
        await panelAccess.login({ email: m.email, password: PASSWORD })
      )._unsafeUnwrap();
      if (step.next !== "secondFactor") throw new Error(step.next);
      await panelAccess.settled();
      const app = ourCpuMs();
      const db = dbCpuNow();
      capture.begin();
      second.walls.push(
        await time(async () =>
          (
            await panelAccess.verifySecondFactor({ challenge: step.challenge, code: m.code() })
          )._unsafeUnwrap(),
        ),
      );
      await panelAccess.settled();
      const op = capture.end();
      second.app += ourCpuMs() - app;
      second.db += dbCpuNow() - db;
      second.roundTrips.push(op.roundTripMs);
      second.statements = op.statements;
    }

    // Probe: the session check's statement unnamed (parsed and planned at
    // every call: pgDriver with `prepare: false`, as behind PgBouncer before
    // 1.21) and named (prepared once per connection, then only bound: its
    // default), on the same connection.
    capture.begin(true);
    await check(0);
    const snapshot = capture.end().captured.find((c) => EXPLAINABLE.test(c.sql));
    let prepared: { unnamed: number; named: number; unnamedCpu: number; namedCpu: number } | null =
      null;
    if (snapshot !== undefined) {
      const ids = tokens.map((t) => t.slice(0, t.indexOf(".")));
      let k = 0;
      const unnamed = () => measuredPool.query(snapshot.sql, [ids[k++ % ids.length]]);
      const named = () =>
        measuredPool.query({
          name: "scale_snapshot",
          text: snapshot.sql,
          values: [ids[k++ % ids.length]],
        });
      const cpuOf = async (run: () => Promise<unknown>) => {
        for (let i = 0; i < 10; i++) await run();
        const before = dbCpuNow();
        for (let i = 0; i < 1000; i++) await run();
        return (dbCpuNow() - before) / 1000;
      };
      const unnamedCpu = await cpuOf(unnamed);
      const namedCpu = await cpuOf(named);
      const [a, b] = await backToBack(SESSION_PAIRS, unnamed, named);
      prepared = { unnamed: median(a), named: median(b), unnamedCpu, namedCpu };
    }

    // Every statement of the hot paths at the largest size, explained as it runs.
    const top = STAGES[STAGES.length - 1] ?? 0;
    bigTables = new Set(
      (
        await pool.query<{ relname: string }>(
          `SELECT c.relname FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
           WHERE ns.nspname = $1 AND c.relkind = 'r' AND c.reltuples > 10000`,
          [schema],
        )
      ).rows.map((r) => r.relname),
    );
    const member = enrolled[0];
    if (member === undefined) throw new Error("nothing enrolled");
    const explainedRun = async (step: string, run: () => Promise<unknown>) => {
      capture.explainAs(step);
      capture.begin(true);
      try {
        await run();
        await panelAccess.settled();
      } finally {
        capture.explainAs(null);
      }
      return capture.end();
    };
    clock.advance({ seconds: 30 });
    let challenge = "";
    const stepRuns = {
      login: await explainedRun("login", async () => {
        const step = (
          await panelAccess.login({ email: member.email, password: PASSWORD })
        )._unsafeUnwrap();
        if (step.next !== "secondFactor") throw new Error(step.next);
        challenge = step.challenge;
      }),
      verifySecondFactor: null as null | ReturnType<typeof capture.end>,
      validateSession: null as null | ReturnType<typeof capture.end>,
      "validateSession (records the use)": null as null | ReturnType<typeof capture.end>,
      logout: null as null | ReturnType<typeof capture.end>,
    };
    let token = "";
    stepRuns.verifySecondFactor = await explainedRun("verifySecondFactor", async () => {
      token = (
        await panelAccess.verifySecondFactor({ challenge, code: member.code() })
      )._unsafeUnwrap().session.sessionToken;
    });
    stepRuns.validateSession = await explainedRun("validateSession", async () => {
      (await panelAccess.validateSession({ sessionToken: token }))._unsafeUnwrap();
    });
    clock.advance({ seconds: 61 }); // past sessions.lastUseInterval: this check writes the use
    stepRuns["validateSession (records the use)"] = await explainedRun(
      "validateSession+touch",
      async () => {
        (await panelAccess.validateSession({ sessionToken: token }))._unsafeUnwrap();
      },
    );
    stepRuns.logout = await explainedRun("logout", async () => {
      (await panelAccess.logout({ sessionToken: token }))._unsafeUnwrap();
    });

    const disk = await pool.query<{ relname: string; total: string; heap: string }>(
      `SELECT c.relname, pg_total_relation_size(c.oid)::bigint AS total, pg_relation_size(c.oid)::bigint AS heap
       FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
       WHERE ns.nspname = $1 AND c.relkind = 'r' ORDER BY 2 DESC`,
      [schema],
    );

    // The report.
    const base = results[0];
    if (base === undefined) throw new Error("no stage");
    console.log(`\nbench:scale results (medians; ratios against ${n(base.rows)} rows)`);
    console.log(
      "rows | password step ms | ratio | session check ms | ratio | " +
        "login: DB round trips ms / connection held ms / server CPU ms / app CPU ms | " +
        "check: DB round trips ms / server CPU ms / app CPU ms",
    );
    for (const r of results) {
      const dbCpu = (x: number | null) => (x === null ? "n/a" : f(x, 3));
      console.log(
        `${n(r.rows)} | ${f(r.login.wall, 2)} | ${f(r.login.wall / base.login.wall)} | ` +
          `${f(r.session.wall, 3)} | ${f(r.session.wall / base.session.wall)} | ` +
          `${f(r.login.roundTrip, 3)} / ${f(r.login.held, 2)} / ${dbCpu(r.login.dbCpu)} / ${f(r.login.appCpu, 2)} | ` +
          `${f(r.session.roundTrip, 3)} / ${dbCpu(r.session.dbCpu)} / ${f(r.session.appCpu, 3)}`,
      );
    }
    console.log(
      "\ndrift-corrected (each operation over its floor measured back to back, " +
        "then that over the same at the first stage): rows | password step / bare verify | ratio | " +
        "session check / bare round trip | ratio",
    );
    for (const r of results) {
      console.log(
        `${n(r.rows)} | ${f(r.loginOverVerify)} (verify ${f(r.verify, 2)} ms) | ${f(r.loginOverVerify / base.loginOverVerify)} | ` +
          `${f(r.checkOverRoundTrip)} (round trip ${f(r.roundTrip, 3)} ms) | ${f(r.checkOverRoundTrip / base.checkOverRoundTrip)}`,
      );
    }
    const last = results[results.length - 1] ?? base;
    console.log(
      `target ≤ 1.05 at ${n(last.rows)}: password step ${f(last.login.wall / base.login.wall)} ` +
        `(drift-corrected ${f(last.loginOverVerify / base.loginOverVerify)}), session check ` +
        `${f(last.session.wall / base.session.wall)} (drift-corrected ${f(last.checkOverRoundTrip / base.checkOverRoundTrip)})`,
    );
    console.log(
      `statements per operation (BEGIN and COMMIT included): password step ${last.login.statements}, ` +
        `session check (no write) ${last.session.statements}`,
    );
    console.log(
      `application CPU per operation (this process, argon2 threads included): ` +
        `password step ${f(last.login.appCpu, 2)} ms, session check ${f(last.session.appCpu, 3)} ms`,
    );
    const members = enrolled.length;
    console.log(
      `second step (verifySecondFactor), ${members} samples at ${n(last.rows)} rows: median ${f(median(second.walls), 2)} ms; ` +
        `${second.statements} round trips taking ${f(median(second.roundTrips), 3)} ms; ` +
        `app CPU ${f(second.app / members, 2)} ms, server CPU ${f(second.db / members, 3)} ms per step`,
    );
    if (prepared !== null)
      console.log(
        `session check's statement alone, ${SESSION_PAIRS} pairs: unnamed (prepare: false) ${f(prepared.unnamed, 3)} ms, ` +
          `server CPU ${f(prepared.unnamedCpu, 3)} ms; named prepared ${f(prepared.named, 3)} ms, ` +
          `server CPU ${f(prepared.namedCpu, 3)} ms (1,000 calls each)`,
      );

    console.log(
      `\nEXPLAIN (ANALYZE, BUFFERS) of each statement the hot paths ran, at ${n(top)} rows ` +
        "(explained unnamed: the planning time is what a statement costs when it is not prepared)",
    );
    for (const [step, run] of Object.entries(stepRuns)) {
      if (run === null) continue;
      const kinds = run.captured.map((c) => c.where);
      console.log(
        `${step}: ${run.statements} round trips (BEGIN and COMMIT included); ` +
          `${run.captured.length} statements seen (${kinds.filter((k) => k === "transaction").length} in transactions, ` +
          `${kinds.filter((k) => k === "statement").length} on their own, ${kinds.filter((k) => k === "script").length} scripts)`,
      );
    }
    for (const [step, run] of Object.entries(stepRuns)) {
      for (const c of run?.captured ?? []) {
        if (c.where === "prelude" || c.where === "script" || SKIPPED.test(c.sql))
          console.log(
            `  [${step}] not explained (${c.where}): ${oneLine(c.sql, schema).slice(0, 80)}`,
          );
      }
    }
    let scans = 0;
    for (const e of capture.explained) {
      const sql = oneLine(e.sql, schema).slice(0, 80);
      if (e.error !== undefined) {
        console.log(`  [${e.step}] ${sql}\n      EXPLAIN failed: ${e.error}`);
        continue;
      }
      console.log(
        `  [${e.step}] ${sql}\n      ${e.nodes.join(" > ")} | ${f(e.executionMs, 3)} ms ` +
          `(planning ${f(e.planningMs, 3)}) | shared hit ${e.hit} read ${e.read}`,
      );
      if (e.seqScans.length > 0) {
        scans++;
        console.log(`      !!! SEQ SCAN on a big table: ${e.seqScans.join(", ")} !!!`);
      }
    }
    console.log(
      scans === 0
        ? "no Seq Scan on a big table"
        : `!!! ${scans} statement(s) scan a big table sequentially !!!`,
    );

    console.log("\ndisk used by the schema's tables (heap + indexes + TOAST):");
    let total = 0;
    for (const row of disk.rows) {
      total += Number(row.total);
      if (Number(row.total) > 1 << 20)
        console.log(
          `  ${row.relname}: ${f(Number(row.total) / 2 ** 30, 2)} GiB (heap ${f(Number(row.heap) / 2 ** 30, 2)})`,
        );
    }
    console.log(`  total: ${f(total / 2 ** 30, 2)} GiB`);
    await argon2Figures();
    console.log(`\nbench:scale wall time: ${f((performance.now() - wallStart) / 60_000, 1)} min`);
  } finally {
    // Interrupted: the signal handler drops the schema and exits.
    if (!stopping) {
      await measuredPool.end();
      await bench.close();
    }
  }
}

/** The server settings that matter for these figures. */
async function settings(pool: pg.Pool): Promise<string[]> {
  const names = ["shared_buffers", "effective_cache_size", "work_mem", "max_connections"];
  const { rows } = await pool.query<{ name: string; setting: string }>(
    "SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY($1)",
    [names],
  );
  return rows.map((r) => `${r.name} ${r.setting}`);
}

/**
 * A connection for the bulk inserts. With session_replication_role = replica
 * (superuser only), foreign-key triggers do not fire: the fillers reference
 * rows inserted just before, and a per-row check (with its row lock on the
 * account) would double the seeding time. Without the right, checks run.
 */
async function fillerConnection(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  try {
    await client.query("SET session_replication_role = replica");
  } catch {
    console.log("  (foreign-key checks stay on while seeding: not a superuser)");
  }
  return client;
}

/** argon2id verify with the production parameters, bare: wall and CPU per verify, one at a time. */
async function argon2Figures() {
  const options = { algorithm: 2, ...OWASP_ARGON2ID };
  const stored = await hash(PASSWORD, options);
  for (let i = 0; i < 5; i++) await verify(stored, PASSWORD, options);
  const walls: number[] = [];
  const cpu = ourCpuMs();
  const samples = 60;
  for (let i = 0; i < samples; i++) walls.push(await time(() => verify(stored, PASSWORD, options)));
  const perVerify = (ourCpuMs() - cpu) / samples;
  console.log(
    `\nargon2id verify (m=${OWASP_ARGON2ID.memoryCost} KiB, t=${OWASP_ARGON2ID.timeCost}, p=${OWASP_ARGON2ID.parallelism}), ` +
      `one at a time, ${samples} samples: median ${f(median(walls), 2)} ms wall, ${f(perVerify, 2)} ms CPU ` +
      `= ${f(1000 / perVerify, 1)} verifies per second per core`,
  );
}

await main();
