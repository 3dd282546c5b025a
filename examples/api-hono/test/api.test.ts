// End to end over real HTTP: the example served on 127.0.0.1 (a free port),
// Node's own fetch, cookies kept by hand as a browser would keep them.
import { ManualClock, RecordingMailer, scan } from "@panel-access/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, start } from "../src/app.js";

const ADMIN = { email: "admin@example.test", password: "correct horse battery staple 7" };
const MEMBER = { email: "member@example.test", password: "a long walk by the river, 1984" };

const clock = new ManualClock();
const mailer = new RecordingMailer();
let running: Running;
let panelId: string;
let otherPanelId: string;

/** A browser of the app: sends its origin (the app's publicUrl) and keeps its cookies. */
class Browser {
  cookies = new Map<string, string>();

  async send(method: string, path: string, body?: unknown, origin = running.url) {
    const headers: Record<string, string> = { origin };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    }
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const name = pair.slice(0, pair.indexOf("="));
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(pair.indexOf("=") + 1));
    }
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: the test reads answers of every shape
    const json: any = text === "" ? undefined : JSON.parse(text);
    return { status: response.status, body: json };
  }
}

/** The token of the newest invitation mailed to `email`. */
async function invitationToken(email: string): Promise<string> {
  await running.library.settled(); // MAIL-4: mail goes out after the answer
  const link = mailer.last(email, "invitation")?.link;
  if (link === undefined) throw new Error(`no invitation to ${email}`);
  return new URL(link).searchParams.get("token") ?? "";
}

/** Password step, then the two-factor setup with a scripted authenticator app. */
async function signIn(browser: Browser, who: { email: string; password: string }) {
  const login = await browser.send("POST", "/api/auth/login", who);
  const app = scan(login.body.setup.uri, clock);
  const setup = await browser.send("POST", "/api/auth/login/setup", { code: app.code() });
  return { login, setup };
}

beforeAll(async () => {
  running = await start({ port: 0, ports: { clock, mailer } });
  const created = await running.library.createPanel({
    actor: { type: "system" },
    name: "Acme",
    administratorEmail: ADMIN.email,
  });
  const other = await running.library.createPanel({
    actor: { type: "system" },
    name: "Other",
    administratorEmail: "other@example.test",
  });
  if (created.isErr() || other.isErr()) throw new Error("seeding failed");
  panelId = created.value.panel.id;
  otherPanelId = other.value.panel.id;
  const token = await invitationToken(ADMIN.email);
  const registered = await running.library.register({ token, password: ADMIN.password });
  if (registered.isErr()) throw new Error(`seeding failed: ${registered.error.type}`);
});

afterAll(async () => {
  const report = await running?.close();
  expect(report?.settled).toBe(true);
});

describe("examples/api-hono over HTTP", () => {
  it("LCK-8, TFA-1, TFA-2, TFA-12, SES-1, SES-2, PNL-7, ACC-1, ACC-6: sign-in with 2FA setup, the host's guarded routes, an invitation, logout", async () => {
    const browser = new Browser();

    // LCK-8: a wrong password and an unknown e-mail get the same answer.
    const wrong = await browser.send("POST", "/api/auth/login", { ...ADMIN, password: "nope" });
    const unknown = await browser.send("POST", "/api/auth/login", {
      email: "nobody@example.test",
      password: ADMIN.password,
    });
    expect(wrong.status).toBe(401);
    expect(unknown).toEqual(wrong);
    expect(wrong.body.error.code).toBe("LOGIN_FAILED");

    // TFA-1, TFA-12: the password step asks for the setup; the challenge is a cookie only.
    const login = await browser.send("POST", "/api/auth/login", ADMIN);
    expect(login.status).toBe(200);
    expect(login.body.next).toBe("secondFactorSetup");
    expect(login.body.setup.uri).toMatch(/^otpauth:\/\/totp\//);
    expect(JSON.stringify(login.body)).not.toContain(browser.cookies.get("pa_challenge"));
    expect([...browser.cookies.keys()]).toEqual(["pa_challenge"]);

    // TFA-2: a current code from the app completes the setup: backup codes, a session cookie.
    const app = scan(login.body.setup.uri, clock);
    const setup = await browser.send("POST", "/api/auth/login/setup", { code: app.code() });
    expect(setup.status).toBe(200);
    expect(setup.body.backupCodes).toHaveLength(10);
    expect([...browser.cookies.keys()]).toEqual(["pa_session"]);

    // SES-1, PNL-7: the session, through the library's API and the host's own routes.
    const session = await browser.send("GET", "/api/auth/session");
    expect(session.status).toBe(200);
    expect(session.body.email).toBe(ADMIN.email);
    expect(session.body.panels.map((p: { id: string }) => p.id)).toEqual([panelId]);
    const me = await browser.send("GET", "/api/me");
    expect(me).toEqual({
      status: 200,
      body: { email: ADMIN.email, panels: [{ id: panelId, role: "administrator" }] },
    });
    const hello = await browser.send("GET", `/api/panels/${panelId}/hello`);
    expect(hello).toEqual({ status: 200, body: { hello: ADMIN.email } });
    // PNL-7: a panel the session does not reach, and one that does not exist, answer alike.
    const elsewhere = await browser.send("GET", `/api/panels/${otherPanelId}/hello`);
    const nowhere = await browser.send("GET", "/api/panels/no-such-panel/hello");
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.code).toBe("FORBIDDEN");
    expect(nowhere).toEqual(elsewhere);

    // ACC-1: the administrator invites a member through the API; the invitation is mailed.
    const invited = await browser.send("POST", `/api/auth/panels/${panelId}/members`, {
      email: MEMBER.email,
      role: "viewer",
      access: { type: "permanent" },
    });
    expect(invited.status).toBe(201);
    expect(invited.body.notice).toBe("invitation");
    const token = await invitationToken(MEMBER.email);

    // ACC-6: the member registers through the link's token and signs in (with their own 2FA).
    const member = new Browser();
    const registered = await member.send("POST", "/api/auth/register", { token, ...MEMBER });
    expect(registered).toEqual({ status: 201, body: { email: MEMBER.email } });
    const memberIn = await signIn(member, MEMBER);
    expect(memberIn.login.body.next).toBe("secondFactorSetup");
    expect(memberIn.setup.status).toBe(200);
    const memberMe = await member.send("GET", "/api/me");
    expect(memberMe.body.panels).toEqual([{ id: panelId, role: "viewer" }]);
    expect((await member.send("GET", `/api/panels/${panelId}/hello`)).status).toBe(200);

    // SES-2: logout ends the session; its cookie goes, and the old token no longer works.
    const kept = new Map(browser.cookies);
    const out = await browser.send("POST", "/api/auth/logout");
    expect(out.status).toBe(204);
    expect(browser.cookies.size).toBe(0);
    const replay = new Browser();
    replay.cookies = kept;
    for (const path of ["/api/auth/session", "/api/me", `/api/panels/${panelId}/hello`]) {
      const refused = await replay.send("GET", path);
      expect(refused.status, path).toBe(401);
      expect(refused.body.error.code, path).toBe("SESSION_INVALID");
    }
    // The member's session is theirs: it still works.
    expect((await member.send("GET", "/api/me")).status).toBe(200);
  });

  it("SES-1, PNL-7: without a session the host's routes answer 401; a POST from another origin is refused", async () => {
    const browser = new Browser();
    for (const path of ["/api/auth/session", "/api/me", `/api/panels/${panelId}/hello`]) {
      const refused = await browser.send("GET", path);
      expect(refused.status, path).toBe(401);
      expect(refused.body.error.code, path).toBe("SESSION_INVALID");
    }
    const foreign = await browser.send("POST", "/api/auth/login", ADMIN, "https://evil.example");
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe("CSRF_REJECTED");
    expect(browser.cookies.size).toBe(0);
  });
});
