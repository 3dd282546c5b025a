import { describe, expect, it } from "vitest";
import { BODY_LIMIT } from "../src/app.js";
import type { RunningServer } from "../src/server.js";
import { development, postForm, production, smtp, useServers } from "./servers.js";

useServers();

describe("the example web app's modes", () => {
  it("web example: /mail and the test routes answer 404 outside development mode", async () => {
    const clock = (server: RunningServer) =>
      fetch(`${server.url}/__test/clock`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ advanceMs: 86_400_000 }),
      });
    for (const path of ["/mail", "/mail/0123456789abcdef", "/mail/0123456789abcdef/html"]) {
      expect((await fetch(`${production.url}${path}`)).status, path).toBe(404);
    }
    expect((await clock(production)).status).toBe(404);
    expect(production.app.clock.now().diffNow().as("hours")).toBeLessThan(1); // the clock did not move
    expect(await (await fetch(`${production.url}/login`)).text()).not.toContain('href="/mail"');

    // The same requests in development mode reach the routes.
    expect((await fetch(`${development.url}/mail`)).status).toBe(200);
    expect((await clock(development)).status).toBe(200);
    expect(await (await fetch(`${development.url}/login`)).text()).toContain('href="/mail"');
  });

  it("web example: outside development mode the mail goes out over SMTP, to the address and from MAIL_FROM", async () => {
    const response = await postForm(production, "/forgot", {
      email: production.administrator.email,
    });
    expect(response.status).toBe(200);
    const message = await smtp.next();
    expect(production.administrator.email).toBe("owner@example.test");
    expect(message.rcptTo).toEqual(["owner@example.test"]);
    expect(message.mailFrom).toBe("no-reply@example.test");
    expect(message.raw).toMatch(/^X-Panel-Access-Kind: passwordReset\r?$/m);
  });

  it("web example: a request body over 64 KiB answers 413 before any form parsing, with or without Content-Length", async () => {
    const big = `email=${"a".repeat(BODY_LIMIT)}`;
    const headers = { "content-type": "application/x-www-form-urlencoded", origin: production.url };
    const sized = await fetch(`${production.url}/forgot`, { method: "POST", headers, body: big });
    expect(sized.status).toBe(413);
    const streamed = await fetch(`${production.url}/forgot`, {
      method: "POST",
      headers,
      body: new Blob([big]).stream(), // chunked: no Content-Length to trust
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    // Under the limit, the same form reaches the CSRF check (no token: refused).
    const small = await fetch(`${production.url}/forgot`, {
      method: "POST",
      headers,
      body: "email=a",
    });
    expect(small.status).toBe(403);
  });

  it("PWD-6: web example: a refused new password shows why and the form again; the link still works", async () => {
    const email = development.administrator.email;
    expect((await postForm(development, "/forgot", { email })).status).toBe(200);
    await development.app.panelAccess.settled();
    const mail = development.app.mailbox?.messages.find(
      (m) => m.to === email && m.kind === "passwordReset",
    );
    const link = new URL(mail?.links.find((l) => l.includes("/reset-password?")) ?? "");
    const token = link.searchParams.get("token") ?? "";
    expect(token).not.toBe("");
    for (const [password, reason] of [
      ["Password123!", "too common"],
      ["Panel Access example 1", "built from your e-mail address or our name"],
    ] as const) {
      const refused = await postForm(development, "/reset-password", { token, password });
      expect(refused.status, password).toBe(422);
      const body = await refused.text();
      expect(body, password).toContain(reason);
      expect(body, password).toContain('action="/reset-password"');
      expect(body, password).not.toContain(password);
    }
    expect((await fetch(`${development.url}${link.pathname}${link.search}`)).status).toBe(200);
  });

  it("LCK-8, SES-1: web example: the JSON API of @panel-access/http answers at /api/auth beside the pages", async () => {
    const api = (path: string, init?: RequestInit) =>
      fetch(`${development.url}/api/auth${path}`, init);
    expect((await api("/openapi.json")).status).toBe(200);
    const session = await api("/session");
    expect(session.status).toBe(401);
    expect(await session.json()).toMatchObject({ error: { code: "SESSION_INVALID" } });
    const json = { "content-type": "application/json", origin: development.url };
    const body = JSON.stringify({ email: "nobody@example.test", password: "wrong guess" });
    const failed = await api("/login", { method: "POST", headers: json, body });
    expect(failed.status).toBe(401);
    expect(await failed.json()).toMatchObject({ error: { code: "LOGIN_FAILED" } });
    const foreign = { ...json, origin: "https://elsewhere.example" };
    const refused = await api("/login", { method: "POST", headers: foreign, body });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "CSRF_REJECTED" } });
  });

  it("web security: a form post from another site is refused by its Origin, or by Sec-Fetch-Site when the Origin is null (pages served with no-referrer); the app's own post passes", async () => {
    const post = (headers: Record<string, string>) =>
      postForm(development, "/forgot", { email: "nobody@example.test" }, headers);
    expect((await post({ origin: "https://elsewhere.example" })).status).toBe(403);
    expect((await post({ origin: "null", "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post({ origin: "null", "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await post({})).status).toBe(200);
  });
});
