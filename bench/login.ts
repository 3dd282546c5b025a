/**
 * `pnpm bench`: what the library costs on top of the password hash it must
 * compute anyway. Every figure is a ratio of two things measured side by side
 * in this one run, with the same argon2id parameters (the production
 * defaults), the two sides interleaved so that drift affects both alike.
 */
import { cpus } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { verify } from "@node-rs/argon2";
import { OWASP_ARGON2ID } from "@panel-access/core";
import { createInMemoryPanelAccess } from "@panel-access/testkit";
import { enrol, PASSWORD, seedMembers } from "./seed.js";
import { backToBack, f, median, pairedRatio, time } from "./stats.js";

const SEQUENTIAL_SAMPLES = 120;
const CONCURRENT = 200;
const CONCURRENT_ROUNDS = 3;

const { panelAccess, mailer, clock } = createInMemoryPanelAccess({ argon2: OWASP_ARGON2ID });

const world = { panelAccess, mailer, clock };

/** Accounts that can log in, and a hash of the password with the library's parameters for the bare side. */
async function seed(): Promise<{ emails: string[]; storedHash: string }> {
  const emails = await seedMembers(world, CONCURRENT);
  const { hash } = await import("@node-rs/argon2");
  const storedHash = await hash(PASSWORD, { algorithm: 2, ...OWASP_ARGON2ID });
  return { emails, storedHash };
}

const login = (email: string, password = PASSWORD) => panelAccess.login({ email, password });

const ENROLLED = 20;

/** A complete login: the password step, then the second factor. */
async function completeLogin(email: string, code: string) {
  const step = (await login(email))._unsafeUnwrap();
  if (step.next !== "secondFactor") throw new Error(step.next);
  (await panelAccess.verifySecondFactor({ challenge: step.challenge, code }))._unsafeUnwrap();
}
const bareVerify = (storedHash: string, password = PASSWORD) => verify(storedHash, password);

async function main() {
  console.log("panel-access benchmark");
  console.log(
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), Node ${process.version}`,
  );
  console.log(
    `argon2id: m=${OWASP_ARGON2ID.memoryCost} KiB, t=${OWASP_ARGON2ID.timeCost}, p=${OWASP_ARGON2ID.parallelism}; ` +
      `libuv threads: ${process.env.UV_THREADPOOL_SIZE ?? "4 (default)"}`,
  );
  const { emails, storedHash } = await seed();
  const first = emails[0] ?? "";
  // Figures 1 to 3 measure the everyday login: 2FA is set up, a challenge for the code follows.
  const enrolledAccounts = (await enrol(world, emails)).slice(0, ENROLLED);

  // 1. One login's password step vs one bare verify, sequential, interleaved.
  for (let i = 0; i < 5; i++) await Promise.all([login(first), bareVerify(storedHash)]);
  const [loginTimes, verifyTimes] = await backToBack(
    SEQUENTIAL_SAMPLES,
    () => login(first),
    () => bareVerify(storedHash),
  );
  const loginMedian = median(loginTimes);
  const verifyMedian = median(verifyTimes);

  // 2 and 3. CONCURRENT logins on distinct accounts vs CONCURRENT bare verifies.
  const loginWalls: number[] = [];
  const verifyWalls: number[] = [];
  const loginDelayP99s: number[] = [];
  const verifyDelayP99s: number[] = [];
  /** Wall time of `run`, and the event loop's p99 delay (ms) meanwhile. */
  const measured = async (run: () => unknown, delays: number[]) => {
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    const wall = await time(run);
    histogram.disable();
    delays.push(histogram.percentile(99) / 1e6);
    return wall;
  };
  for (let round = 0; round < CONCURRENT_ROUNDS; round++) {
    loginWalls.push(
      await measured(() => Promise.all(emails.map((email) => login(email))), loginDelayP99s),
    );
    verifyWalls.push(
      await measured(() => Promise.all(emails.map(() => bareVerify(storedHash))), verifyDelayP99s),
    );
  }
  const throughputRatio = median(verifyWalls) / median(loginWalls);

  // 4. Unknown e-mail vs wrong password for a real account (LCK-8), interleaved.
  // Each account takes at most 5 wrong passwords, so none locks during the run.
  const unknownTimes: number[] = [];
  const wrongTimes: number[] = [];
  for (let i = 0; i < SEQUENTIAL_SAMPLES; i++) {
    unknownTimes.push(await time(() => login(`nobody${i}@bench.test`)));
    wrongTimes.push(
      await time(() => login(emails[(i * 7) % emails.length] ?? first, "wrong passphrase")),
    );
  }
  // 5 and 6. A complete login (password + TOTP, or + backup code) vs one bare verify.
  // The clock moves 30 s per sample: a TOTP code is accepted once per time step (TFA-10).
  const totpTimes: number[] = [];
  const backupTimes: number[] = [];
  const verifyPairs: [number[], number[]] = [[], []];
  for (let i = 0; i < SEQUENTIAL_SAMPLES; i++) {
    clock.advance({ seconds: 30 });
    const account = enrolledAccounts[i % ENROLLED];
    if (account === undefined) throw new Error("no enrolled account");
    const code = account.backupCodes[Math.floor(i / ENROLLED)] ?? "";
    const runTotp = async () =>
      totpTimes.push(await time(() => completeLogin(account.email, account.code())));
    const runBackup = async () =>
      backupTimes.push(await time(() => completeLogin(account.email, code)));
    const runVerify = (into: number[]) => async () =>
      into.push(await time(() => bareVerify(storedHash)));
    if (i % 2) {
      await runTotp().then(runVerify(verifyPairs[0]));
      await runBackup().then(runVerify(verifyPairs[1]));
    } else {
      await runVerify(verifyPairs[0])().then(runTotp);
      await runVerify(verifyPairs[1])().then(runBackup);
    }
  }
  await panelAccess.settled();

  console.log("");
  console.log(
    `1. login (password step, memory adapter) / bare @node-rs/argon2 verify: ${f(pairedRatio(loginTimes, verifyTimes))} ` +
      `(median of ${SEQUENTIAL_SAMPLES} back-to-back pairs; medians ${f(loginMedian, 2)} ms / ${f(verifyMedian, 2)} ms; target ≤ 1.03)`,
  );
  console.log(
    `2. throughput, ${CONCURRENT} concurrent logins (distinct accounts) / ${CONCURRENT} concurrent bare verifies, ` +
      `median of ${CONCURRENT_ROUNDS} rounds: ${f((CONCURRENT / median(loginWalls)) * 1000, 1)}/s / ` +
      `${f((CONCURRENT / median(verifyWalls)) * 1000, 1)}/s = ${f(throughputRatio)} (target ≥ 0.90)`,
  );
  console.log(
    `3. event-loop delay p99 during ${CONCURRENT} concurrent logins: ${f(median(loginDelayP99s), 2)} ms ` +
      `(median of ${CONCURRENT_ROUNDS} rounds, worst ${f(Math.max(...loginDelayP99s), 2)} ms; target < 20 ms); ` +
      `during ${CONCURRENT} bare verifies: ${f(median(verifyDelayP99s), 2)} ms`,
  );
  console.log(
    `4. login unknown e-mail / login wrong password (real account): ${f(pairedRatio(unknownTimes, wrongTimes))} ` +
      `(median of ${SEQUENTIAL_SAMPLES} back-to-back pairs; medians ${f(median(unknownTimes), 2)} ms / ` +
      `${f(median(wrongTimes), 2)} ms; target 0.95 to 1.05)`,
  );
  console.log(
    `5. complete login with TOTP (password step + second step) / bare verify: ${f(pairedRatio(totpTimes, verifyPairs[0]))} ` +
      `(median of ${SEQUENTIAL_SAMPLES} back-to-back pairs; medians ${f(median(totpTimes), 2)} ms / ` +
      `${f(median(verifyPairs[0]), 2)} ms; target ≤ 1.05)`,
  );
  console.log(
    `6. complete login with a backup code / bare verify: ${f(pairedRatio(backupTimes, verifyPairs[1]))} ` +
      `(median of ${SEQUENTIAL_SAMPLES} back-to-back pairs; medians ${f(median(backupTimes), 2)} ms / ` +
      `${f(median(verifyPairs[1]), 2)} ms; target ≤ 1.10)`,
  );
}

await main();
