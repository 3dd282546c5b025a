import { MemoryStore } from "@panel-access/adapter-memory";
import type { PasswordHasher, StoragePort } from "@panel-access/core";
import fc from "fast-check";
import { URI } from "otpauth";
import { describe, expect, it } from "vitest";
import {
  fastInsecureHasher,
  newHistory,
  type Real,
  scheduledHasher,
  scheduledStore,
} from "../src/index.js";
import { openingMoves } from "../src/model/check.js";

const RUNS = Number(process.env.RACE_RUNS ?? 100);
const CALLS = 6;

/**
 * One history's world, after the opening moves (p0 registered with 2FA, p2
 * invited), whose store and hasher can be put under a scheduler for the race.
 */
async function raceWorld() {
  const memory = new MemoryStore();
  const fast = fastInsecureHasher();
  let store: StoragePort = memory;
  let hasher: PasswordHasher = fast;
  /** Verifications against each stored hash (a real guess checked). */
  const verified = new Map<string, number>();
  const history = await newHistory(
    { transact: (scope, work) => store.transact(scope, work) },
    {
      passwordHasher: {
        hash: (password) => hasher.hash(password),
        verify: (hash, password) => {
          verified.set(hash, (verified.get(hash) ?? 0) + 1);
          return hasher.verify(hash, password);
        },
      },
    },
  );
  for (const move of openingMoves()) await move.run(history.model, history.real);
  const [p0, , p2] = history.model.people;
  if (p0 === undefined || p2 === undefined) throw new Error("no people");
  const account = async (email: string) => {
    const found = await memory.transact({}, (tx) => tx.findAccountByEmail(email));
    if (found === null) throw new Error(`no account ${email}`);
    return found;
  };
  return {
    real: history.real,
    p0,
    p2,
    account,
    verified,
    /** From now on every store call and hash returns through `s`. */
    underScheduler(s: fc.Scheduler) {
      store = scheduledStore(memory, s);
      hasher = scheduledHasher(fast, s);
    },
    /** Runs `calls` at once under `s`, waits for them and for the mail they cause. */
    async race<T>(s: fc.Scheduler, calls: (() => PromiseLike<T>)[]): Promise<T[]> {
      const all = Promise.all(calls.map((call) => call()));
      const results = await s.waitFor(all);
      await s.waitIdle();
      await s.waitFor(history.real.panelAccess.settled());
      return results;
    },
  };
}

/** `n` password steps of p0, each a fresh second-factor challenge (before the race). */
async function challenges(real: Real, email: string, password: string, n: number) {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const step = (await real.panelAccess.login({ email, password }))._unsafeUnwrap();
    if (step.next !== "secondFactor") throw new Error(`expected a second factor, got ${step.next}`);
    out.push(step.challenge);
  }
  return out;
}

describe("races under fast-check's scheduler (every interleaving it picks, shrunk on failure)", () => {
  it(
    `LCK-7: ${CALLS + 2} wrong passwords at once: 6 checked, one lock, one e-mail`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), async (s) => {
          const w = await raceWorld();
          const realHash = (await w.account(w.p0.email)).passwordHash ?? "";
          const before = w.verified.get(realHash) ?? 0;
          w.underScheduler(s);
          const results = await w.race(
            s,
            Array.from(
              { length: CALLS + 2 },
              () => () => w.real.panelAccess.login({ email: w.p0.email, password: "wrong guess" }),
            ),
          );
          expect(results.every((r) => r.isErr() && r.error.type === "LOGIN_FAILED")).toBe(true);
          const after = await w.account(w.p0.email);
          expect(after.lockout).toMatchObject({ consecutiveFailures: 6, consecutiveLocks: 1 });
          expect((w.verified.get(realHash) ?? 0) - before).toBe(6);
          expect(w.real.mailer.to(w.p0.email, "accountLocked")).toHaveLength(1);
        }),
        { numRuns: RUNS },
      );
    },
    Math.max(120_000, RUNS * 100),
  );

  it(
    `TFA-10, LCK-6: one TOTP code on ${CALLS} challenges at once is accepted once; the replays count as failures`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), async (s) => {
          const w = await raceWorld();
          w.real.clock.advance({ seconds: 30 }); // a step after the setup's code
          const open = await challenges(w.real, w.p0.email, w.p0.password ?? "", CALLS);
          const code = URI.parse(w.p0.totpUri ?? "").generate({
            timestamp: w.real.clock.now().toMillis(),
          });
          w.underScheduler(s);
          const results = await w.race(
            s,
            open.map(
              (challenge) => () => w.real.panelAccess.verifySecondFactor({ challenge, code }),
            ),
          );
          expect(results.filter((r) => r.isOk())).toHaveLength(1);
          expect((await w.account(w.p0.email)).lockout.consecutiveFailures).toBe(CALLS - 1);
        }),
        { numRuns: RUNS },
      );
    },
    Math.max(120_000, RUNS * 100),
  );

  it(
    `TFA-5: one backup code on ${CALLS} challenges at once is accepted once`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), async (s) => {
          const w = await raceWorld();
          const open = await challenges(w.real, w.p0.email, w.p0.password ?? "", CALLS);
          const code = w.p0.backupCodes[0]?.code ?? "";
          w.underScheduler(s);
          const results = await w.race(
            s,
            open.map(
              (challenge) => () => w.real.panelAccess.verifySecondFactor({ challenge, code }),
            ),
          );
          const accepted = results.flatMap((r) => (r.isOk() ? [r.value] : []));
          expect(accepted).toHaveLength(1);
          expect(accepted[0]?.backupCodesLeft).toBe(w.p0.backupCodes.length - 1);
        }),
        { numRuns: RUNS },
      );
    },
    Math.max(120_000, RUNS * 100),
  );

  it(
    `ACC-8: one invitation link submitted ${CALLS} times at once registers the account once`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), async (s) => {
          const w = await raceWorld();
          const token = w.p2.invitations.at(-1)?.token ?? "";
          w.underScheduler(s);
          const results = await w.race(
            s,
            Array.from(
              { length: CALLS },
              (_, i) => () =>
                w.real.panelAccess.register({ token, password: `password number ${i}` }),
            ),
          );
          expect(results.filter((r) => r.isOk())).toHaveLength(1);
          expect(new Set(results.flatMap((r) => (r.isErr() ? [r.error.type] : [])))).toEqual(
            new Set(["INVITATION_USED"]),
          );
          expect((await w.account(w.p2.email)).registeredAt).not.toBeNull();
        }),
        { numRuns: RUNS },
      );
    },
    Math.max(120_000, RUNS * 100),
  );
});
