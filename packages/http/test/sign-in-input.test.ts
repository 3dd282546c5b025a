import { describe, expect, it } from "vitest";
import { site } from "./harness.js";

describe("malformed sign-in bodies", () => {
  it("LCK-8: a sign-in body of the wrong shape gets the one LOGIN_FAILED answer, not INVALID_INPUT", async () => {
    const s = await site();
    const browser = s.browser();
    const generic = await browser.send("POST", "/login", {
      email: "nobody@example.test",
      password: "wrong",
    });
    expect(generic.status).toBe(401);
    for (const [path, body] of [
      ["/login", { email: 42, password: "x" }],
      ["/login", { email: `${"a".repeat(400)}@example.test`, password: "x" }],
      ["/login", {}],
      ["/login/second-factor", { code: ["123456"] }],
      ["/login/setup", { code: "1".repeat(65) }],
    ] as const) {
      const answer = await browser.send("POST", path, body);
      expect({ path, status: answer.status, body: answer.body }).toEqual({
        path,
        status: generic.status,
        body: generic.body,
      });
    }
  });

  it("INP-1: an OPTIONS request outside the base path is 404, like any other", async () => {
    const s = await site();
    const answer = await s.http.handle(
      new Request("https://app.example.test/elsewhere", { method: "OPTIONS" }),
    );
    expect(answer.status).toBe(404);
  });
});

describe("Origin: null", () => {
  const post = (headers: Record<string, string>) =>
    new Request("https://app.example.test/api/auth/password/forgot", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ email: "someone@example.test" }),
    });

  it("SES-1: a page served with no-referrer posts with Origin: null and Sec-Fetch-Site: same-origin, and passes", async () => {
    const s = await site();
    const own = await s.http.handle(post({ origin: "null", "sec-fetch-site": "same-origin" }));
    expect(own.status).toBe(202);
  });

  it("SES-1: Origin: null from a sandboxed frame of another site, or without Sec-Fetch-Site, is refused", async () => {
    const s = await site();
    const cases: Record<string, string>[] = [
      { origin: "null", "sec-fetch-site": "cross-site" },
      { origin: "null" },
    ];
    for (const headers of cases) {
      const answer = await s.http.handle(post(headers));
      expect(answer.status).toBe(403);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
        "CSRF_REJECTED",
      );
    }
    expect(s.mailer.sent.filter((m) => m.kind === "passwordReset")).toEqual([]);
  });
});
