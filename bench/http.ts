/**
 * `pnpm bench` (sixth part): what the web layer costs on top of the library.
 *
 * 16. A complete login (password step, then a TOTP code) through
 *     `@panel-access/http`'s handler, each step an in-process `handle()` of
 *     a Fetch `Request` (JSON body parsed and checked, origin check, cookies
 *     read and written, the answer serialised) / the same login through the
 *     library directly, with the same client address. Memory adapter,
 *     production argon2id parameters; median of 120 back-to-back pairs in
 *     ABBA order. The clock moves 30 s before each login: a TOTP code is
 *     accepted once per time step (TFA-10); each side logs in its own accounts.
 */
import { OWASP_ARGON2ID } from "@panel-access/core";
import { createPanelAccessHttp } from "@panel-access/http";
import { createInMemoryPanelAccess } from "@panel-access/testkit";
import { enrol, PASSWORD, seedMembers } from "./seed.js";
import { backToBack, f, median, pairedRatio } from "./stats.js";

const SAMPLES = 120;
const ACCOUNTS = 10;
const ORIGIN = "https://app.example.test";
const CLIENT = "203.0.113.9";

const world = createInMemoryPanelAccess({ argon2: OWASP_ARGON2ID });
const { panelAccess, clock } = world;
const http = createPanelAccessHttp(panelAccess, { publicUrl: ORIGIN });

const post = (path: string, body: unknown, cookie?: string) =>
  http.handle(
    new Request(`${ORIGIN}/api/auth${path}`, {
      method: "POST",
      headers: {
        origin: ORIGIN,
        "content-type": "application/json",
        ...(cookie !== undefined && { cookie }),
      },
      body: JSON.stringify(body),
    }),
    { socketAddress: CLIENT },
  );

type Enrolled = Awaited<ReturnType<typeof enrol>>[number];

/** Through the handler: two requests, the challenge carried by its cookie. */
async function throughHttp(account: Enrolled) {
  const login = await post("/login", { email: account.email, password: PASSWORD });
  const cookie = login.headers.getSetCookie()[0]?.split(";")[0];
  if (login.status !== 200 || cookie === undefined) throw new Error(`login: ${login.status}`);
  await login.arrayBuffer();
  const second = await post("/login/second-factor", { code: account.code() }, cookie);
  if (second.status !== 200) throw new Error(`second factor: ${second.status}`);
  await second.arrayBuffer();
}

/**
 * Through `run()`: the same routes and checks (origin, schema, cookies,
 * client address), without a `Request` body stream to read or a `Response`
 * to build and read: what a page-rendering host pays.
 */
async function throughRun(account: Enrolled) {
  const carrier = (path: string, cookie?: string) =>
    new Request(`${ORIGIN}/api/auth${path}`, {
      method: "POST",
      headers: { origin: ORIGIN, ...(cookie !== undefined && { cookie }) },
    });
  const info = { socketAddress: CLIENT };
  const body = { email: account.email, password: PASSWORD };
  const login = await http.run("login", carrier("/login"), { body }, info);
  const challenge = login.cookies.challenge;
  if (login.status !== 200 || typeof challenge !== "string")
    throw new Error(`run: ${login.status}`);
  const cookie = `${http.cookies.nameOf("challenge")}=${challenge}`;
  const code = { code: account.code() };
  const second = await http.run(
    "verifySecondFactor",
    carrier("/login/second-factor", cookie),
    {
      body: code,
    },
    info,
  );
  if (second.status !== 200) throw new Error(`run second factor: ${second.status}`);
}

/** Through the library: the same two steps. */
async function direct(account: Enrolled) {
  const step = (
    await panelAccess.login({ email: account.email, password: PASSWORD, clientAddress: CLIENT })
  )._unsafeUnwrap();
  if (step.next !== "secondFactor") throw new Error(step.next);
  (
    await panelAccess.verifySecondFactor({
      challenge: step.challenge,
      code: account.code(),
      clientAddress: CLIENT,
    })
  )._unsafeUnwrap();
}

async function main() {
  console.log(`\nThe web layer: argon2id m=${OWASP_ARGON2ID.memoryCost} KiB, memory adapter`);
  const accounts = await enrol(world, await seedMembers(world, 2 * ACCOUNTS));
  // Each side logs in its own accounts in turn, each login at a new TOTP step.
  const turns = [0, 0];
  const next = (side: 0 | 1) => {
    clock.advance({ seconds: 30 });
    const account = accounts[side * ACCOUNTS + ((turns[side] ?? 0) % ACCOUNTS)];
    turns[side] = (turns[side] ?? 0) + 1;
    if (account === undefined) throw new Error("no account");
    return account;
  };
  for (let w = 0; w < 4; w++) {
    await throughHttp(next(0));
    await direct(next(1));
  }
  const [httpTimes, directTimes] = await backToBack(
    SAMPLES,
    () => throughHttp(next(0)),
    () => direct(next(1)),
  );
  await panelAccess.settled();
  // b. The same, each login timed until the library's work after its answer
  // (events, MAIL-4) is done too: otherwise that work runs in whichever
  // measurement follows, and the handler's extra awaits let it into its own.
  const settledAfter = (login: () => Promise<void>) => async () => {
    await login();
    await panelAccess.settled();
  };
  const [httpSettled, directSettled] = await backToBack(
    SAMPLES,
    settledAfter(() => throughHttp(next(0))),
    settledAfter(() => direct(next(1))),
  );
  const [runTimes, directForRun] = await backToBack(
    SAMPLES,
    () => throughRun(next(0)),
    () => direct(next(1)),
  );
  await panelAccess.settled();
  console.log(
    `16. complete login (password + TOTP) through the HTTP handler / through the library: ` +
      `${f(pairedRatio(httpTimes, directTimes))} (median of ${SAMPLES} back-to-back pairs; medians ` +
      `${f(median(httpTimes), 2)} ms / ${f(median(directTimes), 2)} ms; target ≤ 1.03)`,
  );
  console.log(
    `16b. the same, each login timed until the library's work after its answer settled: ` +
      `${f(pairedRatio(httpSettled, directSettled))} (medians ${f(median(httpSettled), 2)} ms / ` +
      `${f(median(directSettled), 2)} ms)`,
  );
  console.log(
    `16c. the same login through run() (the same checks, no Request body or Response) / through the library: ` +
      `${f(pairedRatio(runTimes, directForRun))} (medians ${f(median(runTimes), 2)} ms / ` +
      `${f(median(directForRun), 2)} ms)`,
  );
}

await main();
