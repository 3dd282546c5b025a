import { describe, expect, it } from "vitest";
import { ADMIN, signedInSite, signInAgain } from "./harness.js";

describe("session routes", () => {
  it("SES-1, PNL-7: GET /session answers the account and its live panels, never the token", async () => {
    const { s, admin } = await signedInSite();
    const session = await admin.send("GET", "/session");
    expect(session.status).toBe(200);
    expect(session.body).toEqual({
      accountId: expect.any(String),
      email: ADMIN.email,
      method: "local",
      expiresAt: expect.any(String),
      panels: [
        { id: s.panelId, name: "Acme", role: "administrator", access: { type: "permanent" } },
      ],
    });
    expect(JSON.stringify(session.body)).not.toContain(admin.cookies.get("__Host-pa_session"));
    expect(session.headers.get("cache-control")).toBe("no-store");
  });

  it("SES-1: a session ends after the idle timeout; GET /session then answers 401 and drops the cookie", async () => {
    const { s, admin } = await signedInSite();
    s.clock.advance({ minutes: 31 });
    const session = await admin.send("GET", "/session");
    expect(session.status).toBe(401);
    expect(session.body.error.code).toBe("SESSION_INVALID");
    expect(session.setCookies.some((c) => /^__Host-pa_session=;.*Max-Age=0/i.test(c))).toBe(true);
    expect(admin.cookies.has("__Host-pa_session")).toBe(false);
  });

  it("SES-1: the session, account, activity, logout-everywhere, settings and a member route answer an ended session 401 SESSION_INVALID and drop its cookie", async () => {
    const { s, admin } = await signedInSite();
    const ended = admin.cookies.get("__Host-pa_session") as string;
    s.clock.advance({ minutes: 31 });
    const routes: [string, string, unknown?][] = [
      ["GET", "/session"],
      ["GET", "/account"],
      ["GET", "/activity"],
      // The library's logoutEverywhere takes an ended session's token; the route checks first.
      ["POST", "/logout-everywhere"],
      ["GET", "/settings/backup-codes"],
      ["POST", "/settings/backup-codes", { password: ADMIN.password }],
      ["GET", "/settings/browsers"],
      ["POST", "/settings/browsers/forget", {}],
      ["GET", `/panels/${s.panelId}/members`],
    ];
    for (const [method, path, body] of routes) {
      const browser = s.browser();
      browser.cookies.set("__Host-pa_session", ended);
      const answer = await browser.send(method, path, body);
      expect([method, path, answer.status]).toEqual([method, path, 401]);
      expect(answer.body.error.code).toBe("SESSION_INVALID");
      expect(browser.cookies.has("__Host-pa_session")).toBe(false);
    }
  });

  it("SES-2: POST /logout ends this session only and drops its cookie; 204 also without one", async () => {
    const { s, admin, app } = await signedInSite();
    const other = s.browser();
    await signInAgain(s, other, app);
    const token = admin.cookies.get("__Host-pa_session") as string;
    const out = await admin.send("POST", "/logout");
    expect(out.status).toBe(204);
    expect(out.body).toBeUndefined();
    expect(admin.cookies.has("__Host-pa_session")).toBe(false);
    expect((await s.panelAccess.validateSession({ sessionToken: token })).isErr()).toBe(true);
    expect((await other.send("GET", "/session")).status).toBe(200);
    expect((await s.browser().send("POST", "/logout")).status).toBe(204);
    // The ended session's cookie, sent again, and a forged one: 204 as well.
    const again = await s.browser().send("POST", "/logout", undefined, {
      cookie: `__Host-pa_session=${token}`,
    });
    expect(again.status).toBe(204);
    const forged = await s.browser().send("POST", "/logout", undefined, {
      cookie: `__Host-pa_session=${"F".repeat(22)}.${"F".repeat(43)}`,
    });
    expect(forged.status).toBe(204);
  });

  it("SES-2: POST /logout-everywhere ends every session of the account", async () => {
    const { s, admin, app } = await signedInSite();
    const other = s.browser();
    await signInAgain(s, other, app);
    const out = await admin.send("POST", "/logout-everywhere");
    expect(out.status).toBe(204);
    expect(admin.cookies.has("__Host-pa_session")).toBe(false);
    expect((await admin.send("GET", "/session")).status).toBe(401);
    expect((await other.send("GET", "/session")).status).toBe(401);
    const again = await s.browser().send("POST", "/logout-everywhere");
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe("SESSION_INVALID");
  });

  it("ACC-5, SES-1: GET /account answers the person's own account with its memberships; 401 signed out", async () => {
    const { s, admin } = await signedInSite();
    const account = await admin.send("GET", "/account");
    expect(account.status).toBe(200);
    expect(JSON.stringify(account.body)).toContain(ADMIN.email);
    expect(JSON.stringify(account.body)).toContain(s.panelId);
    const signedOut = await s.browser().send("GET", "/account");
    expect(signedOut.status).toBe(401);
    expect(signedOut.body.error.code).toBe("SESSION_INVALID");
  });

  it("AUD-2: GET /activity pages the person's security events newest first through nextCursor", async () => {
    const { s, admin, app } = await signedInSite();
    s.clock.advance({ minutes: 1 });
    await s.browser().send("POST", "/login", { ...ADMIN, password: "a wrong password" });
    await s.panelAccess.settled();
    await signInAgain(s, s.browser(), app);
    await s.panelAccess.settled();
    const all = await admin.send("GET", "/activity");
    expect(all.status).toBe(200);
    const total = all.body.events.length as number;
    expect(total).toBeGreaterThanOrEqual(3);
    expect(all.body.nextCursor).toBeNull();

    const seen: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await admin.send("GET", `/activity?limit=2${query}`);
      expect(page.status).toBe(200);
      expect(page.body.events.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.events);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 20);
    expect(seen).toEqual(all.body.events);
    expect(pages).toBe(Math.ceil(total / 2));
    expect(JSON.stringify(all.body)).not.toContain("a wrong password");
    const future = s.clock.now().plus({ days: 1 }).toISO() as string;
    const none = await admin.send("GET", `/activity?from=${encodeURIComponent(future)}`);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ events: [], nextCursor: null });
    const before = await admin.send("GET", `/activity?to=${encodeURIComponent(future)}`);
    expect(before.body.events).toEqual(all.body.events);
  });

  it("AUD-2, INP-1: GET /activity refuses a cursor it never answered and a bad limit with INVALID_INPUT", async () => {
    const { admin } = await signedInSite();
    const badCursor = await admin.send("GET", "/activity?cursor=not-a-cursor");
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.code).toBe("INVALID_INPUT");
    const badLimit = await admin.send("GET", "/activity?limit=lots");
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.code).toBe("INVALID_INPUT");
    const tooMany = await admin.send("GET", "/activity?limit=500");
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe("INVALID_INPUT");
  });
});

describe("an ended session's token", () => {
  it("SES-2: does not end the account's other sessions through POST /logout-everywhere", async () => {
    const { s, admin, app } = await signedInSite();
    const old = admin.cookies.get("__Host-pa_session") as string;
    s.clock.advance({ minutes: 31 }); // the old session is idle-expired
    const fresh = s.browser();
    await signInAgain(s, fresh, app);
    const leaked = s.browser();
    leaked.cookies.set("__Host-pa_session", old);
    expect((await leaked.send("POST", "/logout-everywhere")).status).toBe(401);
    expect((await fresh.send("GET", "/session")).status).toBe(200);
  });
});
