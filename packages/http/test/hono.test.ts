import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { type PanelAccessVariables, panelAccessHono } from "../src/hono.js";
import {
  ADMIN,
  addRegisteredMember,
  otherPanel,
  PUBLIC_URL,
  type Site,
  signedInSite,
} from "./harness.js";

const FORBIDDEN = { error: { code: "FORBIDDEN", message: "You may not do this." } };

/** A host's Hono app: the JSON API mounted, and its own guarded routes. */
function appOf(s: Site) {
  const auth = panelAccessHono(s.http);
  const app = new Hono<{ Variables: PanelAccessVariables }>();
  app.all("/api/auth/*", auth.handler);
  app.get("/me", auth.requireSession(), (c) => c.json({ email: c.var.session.email }));
  app.get(
    "/panels/:panelId/dashboard",
    auth.requirePanel((c) => c.req.param("panelId")),
    (c) => c.json({ panels: c.var.session.panels.map((p) => p.panel.id) }),
  );
  app.get("/acme/settings", auth.requirePanel(s.panelId, "administrator"), (c) =>
    c.json({ admin: c.var.session.email }),
  );
  return app;
}

const withCookie = (cookie: string) => ({ headers: { cookie } });

describe("@panel-access/http/hono", () => {
  it("SES-1: requireSession answers 401 SESSION_INVALID without a working session, and sets c.var.session with one", async () => {
    const { s, admin } = await signedInSite();
    const app = appOf(s);
    const none = await app.request("/me");
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("SESSION_INVALID");
    expect(none.headers.get("cache-control")).toBe("no-store");
    const forged = await app.request("/me", withCookie(`__Host-pa_session=${"Z".repeat(22)}.x`));
    expect(forged.status).toBe(401);
    const me = await app.request("/me", withCookie(admin.cookieHeader()));
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ email: ADMIN.email });
  });

  it("PNL-7: requirePanel answers one identical 403 for another panel, a nonexistent panel and a role not held; 200 otherwise", async () => {
    const { s, admin } = await signedInSite();
    const editor = await addRegisteredMember(s, admin, "zoe@example.test", "editor");
    const globexId = await otherPanel(s, "globex.admin@example.test");
    const app = appOf(s);
    const asAdmin = withCookie(admin.cookieHeader());
    const asEditor = withCookie(editor.browser.cookieHeader());

    const refusals = [
      await app.request(`/panels/${globexId}/dashboard`, asAdmin),
      await app.request("/panels/no-such-panel/dashboard", asAdmin),
      await app.request("/acme/settings", asEditor),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual(FORBIDDEN);
    }
    const unsigned = await app.request(`/panels/${s.panelId}/dashboard`);
    expect(unsigned.status).toBe(401);

    const dashboard = await app.request(`/panels/${s.panelId}/dashboard`, asEditor);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.json()).toEqual({ panels: [s.panelId] });
    const settings = await app.request("/acme/settings", asAdmin);
    expect(settings.status).toBe(200);
    expect(await settings.json()).toEqual({ admin: ADMIN.email });
  });

  it("PNL-7: requirePanel refuses a session whose membership was removed, at once", async () => {
    const { s, admin } = await signedInSite();
    const editor = await addRegisteredMember(s, admin, "zoe@example.test", "editor");
    // Zoe also administers another panel, so her session itself stays valid.
    const globexId = await otherPanel(s, "zoe@example.test");
    const app = appOf(s);
    const asEditor = withCookie(editor.browser.cookieHeader());
    expect((await app.request(`/panels/${s.panelId}/dashboard`, asEditor)).status).toBe(200);
    await admin.send("POST", `/panels/${s.panelId}/members/remove`, { email: "zoe@example.test" });
    const after = await app.request(`/panels/${s.panelId}/dashboard`, asEditor);
    expect(after.status).toBe(403);
    expect(await after.json()).toEqual(FORBIDDEN);
    const other = await app.request(`/panels/${globexId}/dashboard`, asEditor);
    expect(other.status).toBe(200);
  });

  it("SES-1: the handler answers the JSON API inside a Hono app (login sets its cookie)", async () => {
    const { s } = await signedInSite();
    const app = appOf(s);
    const login = await app.request(`${PUBLIC_URL}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: PUBLIC_URL },
      body: JSON.stringify(ADMIN),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { next: string }).next).toBe("secondFactor");
    expect(login.headers.getSetCookie().some((c) => c.startsWith("__Host-pa_challenge="))).toBe(
      true,
    );
    const unknown = await app.request("/api/auth/nope");
    expect(unknown.status).toBe(404);
  });
});
