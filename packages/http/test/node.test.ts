import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { requirePanel, requireSession, toNodeListener, type WithSession } from "../src/node.js";
import {
  ADMIN,
  addRegisteredMember,
  otherPanel,
  PUBLIC_URL,
  type Site,
  signedInSite,
  site,
} from "./harness.js";

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

type Req = IncomingMessage & WithSession;

/** A plain `node:http` host on 127.0.0.1, port 0: the JSON API and its own guarded routes, Express style. */
async function serve(s: Site): Promise<string> {
  const api = toNodeListener(s.http);
  const me = requireSession(s.http);
  const dashboard = requirePanel<Req>(s.http, (req) => req.url?.split("/")[2]);
  const settings = requirePanel<Req>(s.http, s.panelId, "administrator");
  const answer = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: Req, res) => {
    const url = req.url ?? "/";
    if (url.startsWith("/api/auth/")) return void api(req, res);
    if (url === "/me")
      return me(req, res, () => answer(res, { email: req.panelAccessSession?.email }));
    if (url === "/acme/settings")
      return settings(req, res, () => answer(res, { admin: req.panelAccessSession?.email }));
    if (/^\/panels\/[^/]+\/dashboard$/.test(url))
      return dashboard(req, res, () =>
        answer(res, { panels: req.panelAccessSession?.panels.map((p) => p.panel.id) }),
      );
    res.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const FORBIDDEN = { error: { code: "FORBIDDEN", message: "You may not do this." } };
const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", origin: PUBLIC_URL, ...headers },
  body: JSON.stringify(body),
});

describe("@panel-access/http/node", () => {
  it("SES-1: toNodeListener answers the JSON API through a real server and real fetch, cookies included", async () => {
    const { s, admin } = await signedInSite();
    const base = await serve(s);
    const login = await fetch(`${base}/api/auth/login`, post(ADMIN));
    expect(login.status).toBe(200);
    expect(((await login.json()) as { next: string }).next).toBe("secondFactor");
    expect(login.headers.getSetCookie().some((c) => c.startsWith("__Host-pa_challenge="))).toBe(
      true,
    );
    const session = await fetch(`${base}/api/auth/session`, {
      headers: { cookie: admin.cookieHeader() },
    });
    expect(session.status).toBe(200);
    expect(((await session.json()) as { email: string }).email).toBe(ADMIN.email);
    const forged = await fetch(
      `${base}/api/auth/login`,
      post(ADMIN, { origin: "https://evil.example" }),
    );
    expect(forged.status).toBe(403);
    const tooBig = await fetch(`${base}/api/auth/login`, post({ email: "x".repeat(20_000) }));
    expect(tooBig.status).toBe(413);
  });

  it("LCK-9: toNodeListener passes the socket's address on: failures from 127.0.0.1 are throttled whatever X-Forwarded-For says", async () => {
    const s = await site({}, { throttle: { perAddress: { limit: 3, halfLife: { minutes: 10 } } } });
    const base = await serve(s);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await fetch(
        `${base}/api/auth/login`,
        post(
          { email: `guess${i}@example.test`, password: "wrong password" },
          { "x-forwarded-for": `198.51.100.${i + 1}` },
        ),
      );
      statuses.push(answer.status);
      if (answer.status === 429) {
        const body = (await answer.json()) as { error: { retryAfterSeconds: number } };
        expect(answer.headers.get("retry-after")).toBe(String(body.error.retryAfterSeconds));
      } else await answer.arrayBuffer();
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it("SES-1: requireSession answers 401 SESSION_INVALID without a session and sets req.panelAccessSession with one", async () => {
    const { s, admin } = await signedInSite();
    const base = await serve(s);
    const none = await fetch(`${base}/me`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("SESSION_INVALID");
    expect(none.headers.get("cache-control")).toBe("no-store");
    const me = await fetch(`${base}/me`, { headers: { cookie: admin.cookieHeader() } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ email: ADMIN.email });
  });

  it("PNL-7: requirePanel answers one identical 403 for another panel, a nonexistent panel and a role not held; 200 otherwise", async () => {
    const { s, admin } = await signedInSite();
    const editor = await addRegisteredMember(s, admin, "zoe@example.test", "editor");
    const globexId = await otherPanel(s, "globex.admin@example.test");
    const base = await serve(s);
    const asAdmin = { headers: { cookie: admin.cookieHeader() } };
    const asEditor = { headers: { cookie: editor.browser.cookieHeader() } };
    const refusals = [
      await fetch(`${base}/panels/${globexId}/dashboard`, asAdmin),
      await fetch(`${base}/panels/no-such-panel/dashboard`, asAdmin),
      await fetch(`${base}/acme/settings`, asEditor),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual(FORBIDDEN);
    }
    const unsigned = await fetch(`${base}/acme/settings`);
    expect(unsigned.status).toBe(401);
    await unsigned.arrayBuffer();
    const dashboard = await fetch(`${base}/panels/${s.panelId}/dashboard`, asEditor);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.json()).toEqual({ panels: [s.panelId] });
    const settings = await fetch(`${base}/acme/settings`, asAdmin);
    expect(await settings.json()).toEqual({ admin: ADMIN.email });
  });
});
