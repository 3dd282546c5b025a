import { describe, expect, it } from "vitest";
import { ADMIN, type Browser, site } from "./harness.js";

/** Per-address throttle of 3 failures, so a few wrong logins show whose address counts. */
const THROTTLED = { throttle: { perAddress: { limit: 3, halfLife: { minutes: 10 } } } };

let n = 0;
/** A failed login for a new unknown e-mail (so only the per-address counter grows). */
const failedLogin = (browser: Browser, forwardedFor?: string) =>
  browser.send(
    "POST",
    "/login",
    { email: `guess${n++}@example.test`, password: "wrong password" },
    forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  );

describe("the client's address", () => {
  it("LCK-9: X-Forwarded-For from a socket that is not a trusted proxy is ignored", async () => {
    const s = await site();
    const headers = new Headers({ "x-forwarded-for": "198.51.100.9" });
    expect(s.http.clientAddress(headers, { socketAddress: "203.0.113.7" })).toBe("203.0.113.7");
    expect(s.http.clientAddress(headers, { socketAddress: "127.0.0.1" })).toBe("127.0.0.1");
    expect(s.http.clientAddress(headers)).toBeUndefined();
    expect(s.http.clientAddress(headers, { socketAddress: "not an address" })).toBeUndefined();
  });

  it("LCK-9: many failed logins from one socket with a different X-Forwarded-For each still get TOO_MANY_ATTEMPTS with Retry-After", async () => {
    const s = await site({}, THROTTLED);
    const browser = s.browser({ socketAddress: "203.0.113.7" });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await failedLogin(browser, `198.51.100.${i + 1}`)).status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
    const refused = await failedLogin(browser, "192.0.2.200");
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("TOO_MANY_ATTEMPTS");
    expect(refused.headers.get("retry-after")).toBe(String(refused.body.error.retryAfterSeconds));
    // Another socket is a different client: not throttled.
    const other = await s
      .browser({ socketAddress: "203.0.113.8" })
      .send("POST", "/login", ADMIN, { "x-forwarded-for": "198.51.100.1" });
    expect(other.status).toBe(200);
  });

  it("LCK-9: behind a trusted proxy (trustedProxies: 127.0.0.1) X-Forwarded-For names the client", async () => {
    const s = await site({ trustedProxies: ["127.0.0.1"] });
    const via = (xff: string, socketAddress = "127.0.0.1") =>
      s.http.clientAddress(new Headers({ "x-forwarded-for": xff }), { socketAddress });
    expect(via("198.51.100.9")).toBe("198.51.100.9");
    // Read right to left to the first address that is not a trusted proxy: a spoofed entry on the left is ignored.
    expect(via("6.6.6.6, 198.51.100.9")).toBe("198.51.100.9");
    expect(via("198.51.100.9, 127.0.0.1")).toBe("198.51.100.9");
    // The same header from a socket that is not the proxy is not read.
    expect(via("198.51.100.9", "203.0.113.7")).toBe("203.0.113.7");
    expect(s.http.clientAddress(new Headers(), { socketAddress: "127.0.0.1" })).toBe("127.0.0.1");
  });

  it("LCK-9: behind a trusted proxy the throttle keys on the forwarded client: one client is throttled, another through the same proxy is not", async () => {
    const s = await site({ trustedProxies: ["127.0.0.1"] }, THROTTLED);
    const proxy = s.browser({ socketAddress: "127.0.0.1" });
    let last = 0;
    for (let i = 0; i < 5; i++) last = (await failedLogin(proxy, "198.51.100.9")).status;
    expect(last).toBe(429);
    const sameClient = await proxy.send("POST", "/login", ADMIN, {
      "x-forwarded-for": "198.51.100.9",
    });
    expect(sameClient.status).toBe(429);
    const otherClient = await proxy.send("POST", "/login", ADMIN, {
      "x-forwarded-for": "198.51.100.10",
    });
    expect(otherClient.status).toBe(200);
    expect(otherClient.body.next).toBe("secondFactorSetup");
  });
});
