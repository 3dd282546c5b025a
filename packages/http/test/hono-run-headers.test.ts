import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { panelAccessHono } from "../src/hono.js";
import { ADMIN, PUBLIC_URL, signedInSite } from "./harness.js";

/**
 * Review: `panelAccessHono(http).run(c, …)` copies only `Set-Cookie` and
 * `Retry-After` from the route's headers onto the page. The route's
 * `Cache-Control: no-store` is dropped, so a page that shows what `run`
 * answered (new backup codes, the TOTP secret, the account) is cacheable
 * unless the host remembers to add the header itself.
 */
describe("review: Hono run() and caching", () => {
  it("TFA-6: a page showing backup codes from auth.run carries Cache-Control: no-store", async () => {
    const { s, admin } = await signedInSite();
    const auth = panelAccessHono(s.http);
    const app = new Hono();
    app.post("/settings/backup-codes", async (c) => {
      const result = await auth.run(c, "regenerateBackupCodes", {
        body: { password: ADMIN.password },
      });
      const codes = (result.body as { backupCodes?: string[] }).backupCodes ?? [];
      return c.html(`<ul>${codes.map((code) => `<li>${code}</li>`).join("")}</ul>`);
    });
    const response = await app.request(`${PUBLIC_URL}/settings/backup-codes`, {
      method: "POST",
      headers: { cookie: admin.cookieHeader(), origin: PUBLIC_URL },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<li>");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});
