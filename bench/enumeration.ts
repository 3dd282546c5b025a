/**
 * `pnpm bench` (fourth part): whether the time until the public answer tells
 * a registered e-mail from an unknown one, on PostgreSQL (PWD-2, LCK-8).
 *
 * 11. `forgotPassword` for a registered e-mail / for an unknown one.
 * 12. `login` with a wrong password for a registered, active account / for an unknown e-mail.
 *
 * Each side is timed until its `ResultAsync` resolves (what a caller sees),
 * with the production argon2id parameters. The mail goes out as in a
 * deployment (`sendAfterCommit` on, a recording mailer that answers at
 * once); `settled()` runs after every call, outside the timing, so one
 * call's background work never lands in the next call's figure.
 *
 * After a warm-up, the calls of the two sides run interleaved in one
 * shuffled order, not in pairs: a call runs slower right after a registered
 * one, even after `settled()` (probably the commit's aftermath on the same
 * 2 CPUs), and in pairs, alternating or in random order, each side follows
 * the other more often than itself. On code doing the same work on both
 * sides before answering, pairs gave figure 11 0.6 to 0.9. See
 * docs/benchmarks.md.
 * Needs the server at DATABASE_URL; says so and stops without one.
 */
import { performance } from "node:perf_hooks";
import { OWASP_ARGON2ID } from "@panel-access/core";
import { benchOptions, openPostgres, shownUrl } from "./postgres-world.js";
import { seedMembers } from "./seed.js";
import { f, mean, median, percentile } from "./stats.js";

/** Registered accounts; the calls rotate over them. */
const ACCOUNTS = 200;
const WARM_UP = 20;
/** Calls of each side. Once the account's work runs after the answer, it takes microseconds: more. */
const FORGOT_CALLS = 3000;
const LOGIN_CALLS = 300;
/** LCK-1: the 6th failure in a row locks (and mails a link); stay well below. */
const MAX_FAILURES_PER_ACCOUNT = 3;
/** One letter for each time round the accounts, to keep the unknown e-mails distinct. */
const ROUNDS = "abcdefghijklmnopqrstuvwxyz";
const WRONG_PASSWORD = "not the benchmark passphrase";

interface Figure {
  /** Of each side. */
  readonly calls: number;
  readonly registered: number[];
  readonly unknown: number[];
}

async function main() {
  const bench = await openPostgres(
    "panel_access_enumeration_bench",
    "Account-enumeration timing figures (11, 12)",
  );
  if (bench === null) return;
  if (Math.ceil((WARM_UP + LOGIN_CALLS) / ACCOUNTS) > MAX_FAILURES_PER_ACCOUNT) {
    throw new Error("too few accounts: some would be locked during the run");
  }
  if (Math.ceil((WARM_UP + FORGOT_CALLS) / ACCOUNTS) > ROUNDS.length) {
    throw new Error("too few accounts for distinct unknown e-mails");
  }
  // Throttling (LCK-9) off and the reset-mail limit (PWD-5) raised: each e-mail is asked up to
  // 15 times here, past both limits, and these figures are about the answer's timing when a
  // registered account does all its work (figure 14 measures throttling).
  const world = bench.world({
    ...benchOptions(),
    throttle: { enabled: false },
    passwordResetLimit: { links: 100 },
  });
  const { panelAccess, mailer } = world;
  try {
    console.log(
      `\nAccount enumeration by timing: PostgreSQL at ${shownUrl()}, schema ${bench.schema}; ` +
        `${ACCOUNTS} registered accounts, argon2id m=${OWASP_ARGON2ID.memoryCost} KiB, ` +
        `t=${OWASP_ARGON2ID.timeCost}; mail sent after commit, settled() after each call (untimed)`,
    );
    const emails = await seedMembers(world, ACCOUNTS);
    /**
     * Each call gets its e-mail as a new flat string, as from a parsed request
     * body: a string the process used before (the seeded e-mails) or a
     * concatenation not yet flattened is parsed faster or slower by a few µs.
     */
    const fresh = (email: string) => Buffer.from(email).toString();
    /** Registered e-mail number `i`, rotating over the accounts. */
    const registeredEmail = (i: number) => fresh(emails[i % ACCOUNTS] ?? "");
    /**
     * Unknown e-mail `i`, never reused, as long as registered e-mail `i`
     * (the input's parsing takes time by length): `member12@…` → `xamber12@…`.
     */
    const unknownEmail = (tag: string, i: number) =>
      fresh(`${tag}${ROUNDS[Math.floor(i / ACCOUNTS)]}${registeredEmail(i).slice(2)}`);
    /** Milliseconds until `call`'s answer; its background work is awaited afterwards, untimed. */
    const timed = async <R>(call: () => PromiseLike<R>, expected: (answer: R) => boolean) => {
      const start = performance.now();
      const answer = await call();
      const ms = performance.now() - start;
      if (!expected(answer)) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
      await panelAccess.settled();
      return ms;
    };
    /**
     * WARM_UP calls of each side, not kept, then `calls` of each side in a
     * shuffled order. A side's `i`-th call gets `i`.
     */
    const interleaved = async (
      calls: number,
      registered: (i: number) => Promise<number>,
      unknown: (i: number) => Promise<number>,
    ): Promise<Figure> => {
      for (let i = 0; i < WARM_UP; i++) {
        await registered(i);
        await unknown(i);
      }
      const order = [...Array<boolean>(calls).fill(true), ...Array<boolean>(calls).fill(false)];
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [order[i], order[j]] = [order[j] ?? false, order[i] ?? false];
      }
      const figure: Figure = { calls, registered: [], unknown: [] };
      for (const isRegistered of order) {
        if (isRegistered) {
          figure.registered.push(await registered(WARM_UP + figure.registered.length));
        } else {
          figure.unknown.push(await unknown(WARM_UP + figure.unknown.length));
        }
      }
      return figure;
    };

    const resetsBefore = mailer.sent.filter((m) => m.kind === "passwordReset").length;
    const done = (answer: { isOk(): boolean }) => answer.isOk();
    /** The e-mail is made before the clock starts. */
    const forgotPassword = (email: string) =>
      timed(() => panelAccess.forgotPassword({ email }), done);
    const forgot = await interleaved(
      FORGOT_CALLS,
      (i) => forgotPassword(registeredEmail(i)),
      (i) => forgotPassword(unknownEmail("x", i)),
    );
    const resets = mailer.sent.filter((m) => m.kind === "passwordReset").length - resetsBefore;

    const refused = (answer: Awaited<ReturnType<typeof panelAccess.login>>) =>
      answer.isErr() && answer.error.type === "LOGIN_FAILED";
    const wrongLogin = (email: string) =>
      timed(() => panelAccess.login({ email, password: WRONG_PASSWORD }), refused);
    const login = await interleaved(
      LOGIN_CALLS,
      (i) => wrongLogin(registeredEmail(i)),
      (i) => wrongLogin(unknownEmail("y", i)),
    );
    // The figures are only what they say if every registered call did its work and none locked.
    if (resets !== WARM_UP + FORGOT_CALLS) {
      throw new Error(`${resets} reset mails, not ${WARM_UP + FORGOT_CALLS}`);
    }
    const locked = mailer.sent.filter((m) => m.kind === "accountLocked").length;
    if (locked > 0) throw new Error(`${locked} accounts locked during the run`);

    const line = (n: number, what: string, { calls, registered, unknown }: Figure) =>
      console.log(
        `${n}. ${what}: ${f(median(registered) / median(unknown))} (ratio of medians, ${calls} calls ` +
          `each, shuffled, after ${WARM_UP} each to warm up; medians ${f(median(registered))} ms / ` +
          `${f(median(unknown))} ms; ratio of means ${f(mean(registered) / mean(unknown))}, ` +
          `of p90 ${f(percentile(registered, 90) / percentile(unknown, 90))}; target 0.95 to 1.05)`,
      );
    line(11, "forgotPassword, registered e-mail / unknown e-mail (PWD-2)", forgot);
    line(12, "login, wrong password for a registered account / unknown e-mail (LCK-8)", login);
  } finally {
    await panelAccess.settled();
    await bench.close();
  }
}

await main();
