import { randomBytes } from "node:crypto";
import { migrate, PostgresStore, pgDriver, type SqlDriver } from "@panel-access/adapter-postgres";
import { pgliteDriver } from "@panel-access/adapter-postgres/pglite";
import { createPanelAccess } from "@panel-access/core";
import { ManualClock, RecordingMailer } from "@panel-access/core/testing";
import { openTestDatabase, serverOrPglite } from "@panel-access/test-support/postgres";
import { scan } from "@panel-access/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { createPanelAccessHttp } from "../src/index.js";
import { ADMIN, Browser, PUBLIC_URL } from "./harness.js";

/**
 * The JSON API on PostgreSQL: the same site as `harness.ts` (one panel, its
 * administrator registered) over `PostgresStore`, and every route driven
 * once through `http.handle`. In CI the server must answer (CI=true forbids
 * the PGlite fallback).
 */
const kind = await serverOrPglite();
const database = await openTestDatabase<SqlDriver>(kind, { migrate, pgDriver, pgliteDriver });
afterAll(() => database.drop());

/** The site of harness.ts on PostgreSQL. */
async function postgresSite() {
  const store = new PostgresStore(database.driver, { schema: database.schema });
  const clock = new ManualClock();
  const mailer = new RecordingMailer();
  const panelAccess = createPanelAccess(
    { store, clock, mailer },
    {
      appUrl: PUBLIC_URL,
      argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
      allowWeakHashing: true,
      twoFactor: { encryptionKeys: [{ id: "test", key: randomBytes(32) }] },
      mail: { awaitSending: true },
    },
  );
  const http = createPanelAccessHttp(panelAccess, { publicUrl: PUBLIC_URL });
  const created = await panelAccess.createPanel({
    actor: { type: "system" },
    name: "Acme",
    administratorEmail: ADMIN.email,
  });
  if (created.isErr()) throw new Error(created.error.type);
  const registered = await panelAccess.register({
    token: tokenOf(mailer, ADMIN.email, "invitation"),
    password: ADMIN.password,
  });
  if (registered.isErr()) throw new Error(registered.error.type);
  return {
    panelAccess,
    http,
    clock,
    mailer,
    panelId: created.value.panel.id,
    browser: () => new Browser(http, "203.0.113.7"),
  };
}

/** The token of the latest link of one kind mailed to one address. */
function tokenOf(mailer: RecordingMailer, to: string, kind: string): string {
  const message = [...mailer.sent].reverse().find((m) => m.to === to && m.kind === kind);
  if (message === undefined || !("link" in message)) throw new Error(`no ${kind} mail to ${to}`);
  return new URL(message.link as string).searchParams.get("token") ?? "";
}

describe(`the JSON API on PostgreSQL (${kind})`, () => {
  it("SES-1, SES-2, TFA-1, TFA-2, TFA-3, TFA-5, TFA-6, TFA-7, TFA-8, TFA-13, ACC-1, ACC-5, ACC-6, ACC-7, ACC-9, PNL-2, PNL-4, PNL-5, PWD-2, PWD-3, AUD-2: every route answers on PostgreSQL", async () => {
    const s = await postgresSite();
    const P = `/panels/${s.panelId}`;
    const member = { email: "member@example.test", password: "a member's own long passphrase 3" };
    const reached = new Set<string>();
    /** Sends, asserts the status, and notes the route reached. */
    const expectAnswer = async (
      browser: Browser,
      method: string,
      path: string,
      body: unknown,
      status: number,
    ) => {
      const answer = await browser.send(method, path, body);
      expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(status);
      const pathname = `${s.http.options.basePath}${path.split("?")[0]}`;
      const route = s.http.routes.find(
        (r) =>
          r.method === method &&
          new RegExp(
            `^${`${s.http.options.basePath}${r.path}`.replace(/\{[^}]+\}/g, "[A-Za-z0-9_-]+")}$`,
          ).test(pathname),
      );
      if (route !== undefined) reached.add(route.id);
      return answer;
    };

    // Signing in: password, 2FA setup remembering the browser, another browser's second step.
    const admin = s.browser();
    const login = await expectAnswer(admin, "POST", "/login", ADMIN, 200);
    expect(login.body.next).toBe("secondFactorSetup");
    const app = scan(login.body.setup.uri, s.clock);
    const setup = await expectAnswer(
      admin,
      "POST",
      "/login/setup",
      { code: app.code(), rememberBrowser: true },
      200,
    );
    expect(setup.body.backupCodes).toHaveLength(10);
    s.clock.advance({ seconds: 30 });
    const other = s.browser();
    expect((await expectAnswer(other, "POST", "/login", ADMIN, 200)).body.next).toBe(
      "secondFactor",
    );
    await expectAnswer(other, "POST", "/login/second-factor", { code: app.code() }, 200);
    expect((await expectAnswer(admin, "POST", "/login", ADMIN, 200)).body.next).toBe("done");

    // The session, the account, the person's activity, settings.
    const session = await expectAnswer(admin, "GET", "/session", undefined, 200);
    expect(session.body.panels.map((p: { id: string }) => p.id)).toEqual([s.panelId]);
    expect((await expectAnswer(admin, "GET", "/account", undefined, 200)).body).toBeTypeOf(
      "object",
    );
    const activity = await expectAnswer(admin, "GET", "/activity?limit=5", undefined, 200);
    expect(activity.body.events.length).toBeGreaterThan(0);
    expect(
      (await expectAnswer(admin, "GET", "/settings/backup-codes", undefined, 200)).body.unused,
    ).toBe(10);
    await expectAnswer(admin, "POST", "/settings/backup-codes", { password: ADMIN.password }, 200);
    const browsers = await expectAnswer(admin, "GET", "/settings/browsers", undefined, 200);
    expect(browsers.body.browsers).toHaveLength(1);
    await expectAnswer(
      admin,
      "POST",
      "/settings/browsers/forget",
      { browserId: browsers.body.browsers[0].id },
      204,
    );

    // Members: add, list, resend, register through the link, change, reset 2FA, remove, reinvite.
    const grant = { email: member.email, role: "viewer", access: { type: "permanent" } };
    await expectAnswer(admin, "POST", `${P}/members`, grant, 201);
    const members = await expectAnswer(admin, "GET", `${P}/members`, undefined, 200);
    expect(members.body.members).toHaveLength(2);
    await expectAnswer(
      admin,
      "POST",
      `${P}/members/resend-invitation`,
      { email: member.email },
      201,
    );
    const newcomer = s.browser();
    const token = tokenOf(s.mailer, member.email, "invitation");
    const invitation = await expectAnswer(newcomer, "POST", "/invitations/inspect", { token }, 200);
    expect(invitation.body.email).toBe(member.email);
    await expectAnswer(newcomer, "POST", "/register", { token, password: member.password }, 201);
    const endsAt = s.clock.now().plus({ days: 30 }).toISO();
    await expectAnswer(
      admin,
      "POST",
      `${P}/members/change`,
      { email: member.email, access: { type: "temporary", endsAt } },
      204,
    );
    await expectAnswer(
      admin,
      "POST",
      `${P}/members/reset-two-factor`,
      { email: member.email },
      204,
    );
    await expectAnswer(admin, "POST", `${P}/members/remove`, { email: member.email }, 204);
    await expectAnswer(admin, "POST", `${P}/members/reinvite`, grant, 201);
    const panelActivity = await expectAnswer(
      admin,
      "GET",
      `${P}/activity?limit=10`,
      undefined,
      200,
    );
    expect(panelActivity.body.events.length).toBeGreaterThan(0);

    // A forgotten password, through its link.
    await expectAnswer(newcomer, "POST", "/password/forgot", { email: member.email }, 202);
    await s.panelAccess.settled(); // PWD-2 v2: the link is made after the answer.
    const reset = tokenOf(s.mailer, member.email, "passwordReset");
    await expectAnswer(newcomer, "POST", "/password/inspect", { token: reset }, 200);
    const newPassword = "another long passphrase of theirs 9";
    await expectAnswer(
      newcomer,
      "POST",
      "/password/reset",
      { token: reset, password: newPassword },
      204,
    );
    const memberLogin = await expectAnswer(
      newcomer,
      "POST",
      "/login",
      { email: member.email, password: newPassword },
      200,
    );
    expect(memberLogin.body.next).toBe("secondFactorSetup");

    // Refusals answer from PostgreSQL too.
    await expectAnswer(newcomer, "POST", "/register", { token, password: member.password }, 410);
    await expectAnswer(admin, "GET", "/panels/elsewhere/members", undefined, 403);
    await expectAnswer(admin, "POST", `${P}/members/remove`, { email: ADMIN.email }, 409);

    // Signing out everywhere ends this browser's session too; then signing out here.
    await expectAnswer(other, "POST", "/logout-everywhere", undefined, 204);
    await expectAnswer(admin, "GET", "/session", undefined, 401);
    await expectAnswer(admin, "POST", "/logout", undefined, 204);
    await expectAnswer(other, "GET", "/session", undefined, 401);

    expect([...reached].sort()).toEqual(s.http.routes.map((r) => r.id).sort());
  });
});
