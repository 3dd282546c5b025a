import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { panelAccessHono } from "../src/hono.js";
import { ADMIN, PUBLIC_URL, site } from "./harness.js";

describe("Hono glue for pages rendered on the server", () => {
  it("SES-1, LCK-8: run(c, id) runs a route from a form post and puts its cookies on the page", async () => {
    const s = await site();
    const auth = panelAccessHono(s.http);
    const app = new Hono();
    app.post("/sign-in", async (c) => {
      const form = await c.req.parseBody();
      const result = await auth.run(c, "login", {
        body: { email: form.email, password: form.password },
      });
      return c.html(`<p>${result.status}</p>`, result.status === 200 ? 200 : 401);
    });
    const post = (password: string) =>
      app.request("/sign-in", {
        method: "POST",
        headers: { origin: PUBLIC_URL, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: ADMIN.email, password }).toString(),
      });
    const ok = await post(ADMIN.password);
    expect(ok.status).toBe(200);
    expect(ok.headers.getSetCookie().join()).toMatch(/^__Host-pa_challenge=[^;]+; Max-Age=600/);
    const refused = await post("not the password");
    expect(refused.status).toBe(401);
    expect(refused.headers.getSetCookie()).toEqual([]);
  });

  it("SES-1: formToken(c) answers one token per request and sets its cookie once, only when new", async () => {
    const s = await site();
    const auth = panelAccessHono(s.http);
    const app = new Hono();
    app.get("/form", (c) => c.json({ a: auth.formToken(c), b: auth.formToken(c) }));
    const first = await app.request("/form");
    const tokens = (await first.json()) as { a: string; b: string };
    expect(tokens.a).toBe(tokens.b);
    const cookies = first.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toContain(`__Host-pa_csrf=${tokens.a}`);
    const again = await app.request("/form", {
      headers: { cookie: `__Host-pa_csrf=${tokens.a}` },
    });
    expect(((await again.json()) as { a: string }).a).toBe(tokens.a);
    expect(again.headers.getSetCookie()).toEqual([]);
  });
});
