import { createPanelAccess, type PanelAccess } from "@panel-access/core";
import { ManualClock, RecordingMailer } from "@panel-access/core/testing";
import * as OTPAuth from "otpauth";
import { afterAll, describe, expect, it } from "vitest";

/** A refusal with this stable code. */
const err = (error: { type: string }) => ({ error });

import { serverOrPglite } from "@panel-access/test-support/postgres";
import { PostgresStore, PostgresThrottleStore } from "../src/index.js";
import { testDatabase } from "./database.js";
import { libraryOver, panelWithAdministrator, testOptions } from "./support.js";

/**
 * The version-2 rules at the seams, played on PostgreSQL: the attacks that
 * version 1 let through (RULES.md v2: LCK-1, TFA-8, TFA-9) and the hash
 * upgrade (PWD-7), with every write going through the Postgres store.
 */
const kind = await serverOrPglite();
const database = await testDatabase(kind);
afterAll(() => database.drop());
const store = new PostgresStore(database.driver, { schema: database.schema });
const PASSWORD = "a long enough password";
let people = 0;

/** A registered, enrolled member of a new panel; answers a code generator for their authenticator. */
async function enrolledMember(
  panelAccess: PanelAccess,
  mailer: RecordingMailer,
  clock: { now(): { toMillis(): number }; advance(d: object): void },
) {
  people += 1;
  const admin = await panelWithAdministrator(
    panelAccess,
    mailer,
    `seams-admin-${people}@example.com`,
  );
  const email = `seams-person-${people}@example.com`;
  await panelAccess.addMember({ ...admin, email, role: "analyst", access: { type: "permanent" } });
  const link = mailer.last(email, "invitation")?.link ?? "";
  const token = new URL(link).searchParams.get("token") ?? "";
  const registered = await panelAccess.register({ token, password: PASSWORD });
  if (registered.isErr()) throw new Error(`register: ${registered.error.type}`);
  const login = await panelAccess.login({ email, password: PASSWORD });
  if (login.isErr()) throw new Error(`login: ${login.error.type}`);
  const step = login.value;
  if (step.next !== "secondFactorSetup") throw new Error(step.next);
  const totp = OTPAuth.URI.parse(step.setup.uri);
  const code = () => totp.generate({ timestamp: clock.now().toMillis() });
  const setup = await panelAccess.completeTwoFactorSetup({
    challenge: step.challenge,
    code: code(),
  });
  if (setup.isErr()) throw new Error(`setup: ${setup.error.type}`);
  const done = setup.value;
  clock.advance({ seconds: 30 });
  return { admin, email, code, session: done.session, backupCodes: done.backupCodes };
}

async function challengeOf(panelAccess: PanelAccess, email: string): Promise<string> {
  const step = (await panelAccess.login({ email, password: PASSWORD }))._unsafeUnwrap();
  if (step.next !== "secondFactor") throw new Error(step.next);
  return step.challenge;
}

describe(`the version-2 seams on ${kind === "server" ? "a PostgreSQL server" : "PGlite"}`, () => {
  it("LCK-1 v2, LCK-6, LCK-2: password steps alternating with wrong codes lock at the sixth wrong code and e-mail the person", async () => {
    const { panelAccess, mailer, clock } = libraryOver(store);
    const { email, code } = await enrolledMember(panelAccess, mailer, clock);
    const wrong = () => String((Number(code()) + 500_000) % 1_000_000).padStart(6, "0");
    let guesses = 0;
    for (let round = 0; round < 2; round++) {
      const challenge = await challengeOf(panelAccess, email);
      for (let i = 0; i < 5 && guesses < 6; i++, guesses++) {
        expect(await panelAccess.verifySecondFactor({ challenge, code: wrong() })).toMatchObject(
          err({ type: "LOGIN_FAILED" }),
        );
      }
    }
    await panelAccess.settled();
    expect(mailer.last(email, "accountLocked")).toBeDefined();
    expect(await panelAccess.login({ email, password: PASSWORD })).toMatchObject(
      err({ type: "LOGIN_FAILED" }),
    );
  });

  it("TFA-8 v2, ACC-2 v2: another organisation's administrator adds the person (who is told), cannot reset their 2FA, and panel A's session stays", async () => {
    const { panelAccess, mailer, clock } = libraryOver(store);
    const { email, session } = await enrolledMember(panelAccess, mailer, clock);
    people += 1;
    const b = await panelWithAdministrator(panelAccess, mailer, `seams-b-${people}@example.com`);
    const added = await panelAccess.addMember({
      ...b,
      email,
      role: "viewer",
      access: { type: "permanent" },
    });
    expect(added._unsafeUnwrap().notice).toBe("accessGranted");
    expect(mailer.last(email, "accessGranted")).toMatchObject({ role: "viewer" });
    expect(await panelAccess.resetTwoFactor({ ...b, email })).toMatchObject(
      err({ type: "TWO_FACTOR_RESET_NEEDS_SUPPORT" }),
    );
    expect((await panelAccess.validateSession(session)).isOk()).toBe(true);
    expect(mailer.to(email, "twoFactorReset")).toEqual([]);
    const operator = { type: "operator", operatorId: "support" } as const;
    (await panelAccess.supportResetTwoFactor({ actor: operator, email }))._unsafeUnwrap();
    expect(await panelAccess.validateSession(session)).toMatchObject(
      err({ type: "SESSION_INVALID" }),
    );
  });

  it("TFA-9 v2: a session opened through SSO cannot generate backup codes", async () => {
    const { panelAccess, mailer, clock } = libraryOver(store);
    const { admin, email } = await enrolledMember(panelAccess, mailer, clock);
    const sso = (
      await panelAccess.createPanel({
        actor: { type: "system" },
        name: "SSO",
        settings: { ssoEnabled: true },
        administratorEmail: `seams-admin-${people}@example.com`,
      })
    )._unsafeUnwrap().panel.id;
    await panelAccess.addMember({
      actor: admin.actor,
      panelId: sso,
      email,
      role: "viewer",
      access: { type: "permanent" },
    });
    const ssoSession = (await panelAccess.openSsoSession({ email, panelId: sso }))._unsafeUnwrap();
    expect(
      await panelAccess.regenerateBackupCodes({
        sessionToken: ssoSession.sessionToken,
        password: PASSWORD,
      }),
    ).toMatchObject(err({ type: "SECOND_FACTOR_SESSION_REQUIRED" }));
  });

  it("PWD-7: stronger configured parameters re-hash the stored password at the next login", async () => {
    const { panelAccess, mailer, clock } = libraryOver(store);
    const { email } = await enrolledMember(panelAccess, mailer, clock);
    const hashOf = async () =>
      (await store.transact({}, (tx) => tx.findAccountByEmail(email)))?.passwordHash ?? "";
    expect(await hashOf()).toMatch(/\$m=1024,t=1,p=1\$/);
    const raised = createPanelAccess(
      { store, clock, mailer },
      {
        ...panelAccess.options,
        argon2: { memoryCost: 2048, timeCost: 2, parallelism: 1 },
      },
    );
    expect((await raised.login({ email, password: PASSWORD })).isOk()).toBe(true);
    expect(await hashOf()).toMatch(/\$m=2048,t=2,p=1\$/);
    expect((await raised.login({ email, password: PASSWORD })).isOk()).toBe(true);
  });

  it("LCK-9: with PostgresThrottleStore, failures from one address spread over two instances meet one shared limit, known and unknown e-mails alike", async () => {
    const throttled = (throttleStore: PostgresThrottleStore) =>
      createPanelAccess(
        { store, clock: new ManualClock(), mailer: new RecordingMailer(), throttleStore },
        { ...testOptions(), throttle: { perAddress: { limit: 6 } } },
      );
    const instances = [1, 2].map(() =>
      throttled(new PostgresThrottleStore(database.newPool().driver, { schema: database.schema })),
    );
    const { panelAccess, mailer, clock } = libraryOver(store);
    const { email } = await enrolledMember(panelAccess, mailer, clock);
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) {
      const answer = await instances[i % 2]?.login({
        email: i % 3 === 0 ? email : `nobody-${i}@example.com`,
        password: "Summer2026!summer",
        clientAddress: `2001:db8:77:1::${i + 1}`,
      });
      answers.push(answer?.isErr() ? answer.error.type : "ok");
    }
    expect(answers).toEqual([
      ...Array(6).fill("LOGIN_FAILED"),
      ...Array(4).fill("TOO_MANY_ATTEMPTS"),
    ]);
  });

  it("PWD-5: at most 3 reset links an hour per account; past it nothing is sent and the latest link stays valid", async () => {
    const { panelAccess, mailer, clock } = libraryOver(store);
    const { email } = await enrolledMember(panelAccess, mailer, clock);
    for (let i = 0; i < 5; i++) {
      expect((await panelAccess.forgotPassword({ email })).isOk()).toBe(true);
      await panelAccess.settled();
      clock.advance({ minutes: 1 });
    }
    const links = mailer.to(email, "passwordReset");
    expect(links).toHaveLength(3);
    const token = new URL(links.at(-1)?.link ?? "").searchParams.get("token") ?? "";
    expect((await panelAccess.inspectPasswordReset({ token })).isOk()).toBe(true);
  });
});
