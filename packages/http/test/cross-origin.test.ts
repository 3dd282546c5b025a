import { describe, expect, it } from "vitest";
import { PUBLIC_URL, site } from "./harness.js";

const ADMIN_UI = "https://admin.example.test";

describe("CORS for trustedOrigins", () => {
  it("SES-1: a trusted origin's preflight is answered, and its answers name it with credentials", async () => {
    const s = await site({ trustedOrigins: [ADMIN_UI] });
    const preflight = await s.http.handle(
      new Request(`${PUBLIC_URL}/api/auth/login`, {
        method: "OPTIONS",
        headers: { origin: ADMIN_UI, "access-control-request-method": "POST" },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(ADMIN_UI);
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("Content-Type");
    const browser = s.browser();
    browser.headers.origin = ADMIN_UI;
    const session = await browser.send("GET", "/session");
    expect(session.status).toBe(401);
    expect(session.headers.get("access-control-allow-origin")).toBe(ADMIN_UI);
  });

  it("SES-1: another origin's preflight is refused, and no answer names it", async () => {
    const s = await site({ trustedOrigins: [ADMIN_UI] });
    const preflight = await s.http.handle(
      new Request(`${PUBLIC_URL}/api/auth/login`, {
        method: "OPTIONS",
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      }),
    );
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const browser = s.browser();
    browser.headers.origin = "https://evil.example";
    const session = await browser.send("GET", "/session");
    expect(session.headers.get("access-control-allow-origin")).toBeNull();
    // The public URL's own pages are same-origin: no CORS headers needed.
    const own = await s.browser().send("GET", "/session");
    expect(own.headers.get("access-control-allow-origin")).toBeNull();
  });
});
