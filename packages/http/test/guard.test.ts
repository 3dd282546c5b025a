import { MemoryStore } from "@panel-access/adapter-memory";
import type { LockScope, SessionSnapshot, StorageTx } from "@panel-access/core";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { panelAccessHono } from "../src/hono.js";
import { PUBLIC_URL, signedInSite } from "./harness.js";

/** A memory store that can be made to fail, as a database that went away. */
class FlakyStore extends MemoryStore {
  down = false;
  override async transact<T>(scope: LockScope, work: (tx: StorageTx) => Promise<T>): Promise<T> {
    if (this.down) throw new Error("connection refused");
    return super.transact(scope, work);
  }
  override async readSession(id: string): Promise<SessionSnapshot | null> {
    if (this.down) throw new Error("connection refused");
    return super.readSession(id);
  }
}

/** The host's own routes behind the guards, on Hono. */
function hostApp(http: Parameters<typeof panelAccessHono>[0]) {
  const auth = panelAccessHono(http);
  const app = new Hono();
  app.get("/me", auth.requireSession(), (c) => c.json({ email: c.var.session.email }));
  app.get(
    "/p/:panelId",
    auth.requirePanel((c) => c.req.param("panelId"), "administrator"),
    (c) => c.json({ ok: true }),
  );
  return app;
}

describe("the guards of the host's own routes", () => {
  it("SES-1: a stale session cookie gets 401 and is cleared, as on the API's own routes", async () => {
    const { s, admin } = await signedInSite();
    const app = hostApp(s.http);
    const cookie = `__Host-pa_session=${admin.cookies.get("__Host-pa_session")}`;
    expect((await app.request("/me", { headers: { cookie } })).status).toBe(200);
    await admin.send("POST", "/logout-everywhere");
    const refused = await app.request("/me", { headers: { cookie } });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      "SESSION_INVALID",
    );
    expect(refused.headers.getSetCookie().join()).toMatch(/__Host-pa_session=; Max-Age=0/);
  });

  it("SES-1, PNL-7: an unavailable store is 503, not a sign-out; the cookie stays", async () => {
    const store = new FlakyStore();
    const { s, admin } = await signedInSite({}, { store });
    const app = hostApp(s.http);
    const cookie = `__Host-pa_session=${admin.cookies.get("__Host-pa_session")}`;
    store.down = true;
    for (const path of ["/me", `/p/${s.panelId}`]) {
      const answer = await app.request(path, { headers: { cookie } });
      expect(answer.status).toBe(503);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
        "STORAGE_FAILED",
      );
      expect(answer.headers.getSetCookie()).toEqual([]);
    }
    store.down = false;
    expect((await app.request(`/p/${s.panelId}`, { headers: { cookie } })).status).toBe(200);
    expect(PUBLIC_URL).toMatch(/^https:/); // the __Host- names above
  });
});

describe("a malformed session cookie", () => {
  it("SES-1: is absent (401) and cleared, on the API's routes and behind the guards", async () => {
    const { s } = await signedInSite();
    const cookie = "__Host-pa_session=abc.def";
    const api = await s.http.handle(
      new Request(`${PUBLIC_URL}/api/auth/session`, { headers: { cookie } }),
    );
    expect(api.status).toBe(401);
    expect(api.headers.getSetCookie().join()).toMatch(/__Host-pa_session=; Max-Age=0/);
    const guarded = await hostApp(s.http).request("/me", { headers: { cookie } });
    expect(guarded.status).toBe(401);
    expect(guarded.headers.getSetCookie().join()).toMatch(/__Host-pa_session=; Max-Age=0/);
  });
});
