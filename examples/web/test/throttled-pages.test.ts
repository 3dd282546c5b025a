import { Duration } from "luxon";
import { describe, expect, it } from "vitest";
import { pickClientAddress } from "../src/client-address.js";
import { refusalOf, waitText } from "../src/refusals.js";
import { startServer } from "../src/server.js";
import { postForm } from "./servers.js";

/** The notice a page shows (`<p class="notice">`), or `undefined`. */
async function noticeOf(response: Response): Promise<string | undefined> {
  return /<p class="notice" role="status">([^<]*)<\/p>/.exec(await response.text())?.[1];
}

describe("LCK-9 in the web example: the client's address and throttled pages", () => {
  it("LCK-9: web example: after enough failed sign-ins from one client the page answers 429 with the wait, for a known and an unknown e-mail alike; X-Forwarded-For is not trusted by default", async () => {
    // One e-mail from one address: refused past 3 failures (the default is 10 a day).
    const server = await startServer({
      port: 0,
      development: true,
      throttle: { perEmailAndAddress: { limit: 3, halfLife: { hours: 1 } } },
    });
    try {
      const answers = async (email: string) => {
        const seen: { status: number; notice: string | undefined; retryAfter: string | null }[] =
          [];
        for (let i = 0; i < 5; i++) {
          // A client that names itself another address on each try: ignored (no trusted proxy).
          const response = await postForm(
            server,
            "/login",
            { email, password: `wrong guess ${i}` },
            { "x-forwarded-for": `198.51.100.${i + 1}` },
          );
          seen.push({
            status: response.status,
            retryAfter: response.headers.get("retry-after"),
            notice: await noticeOf(response),
          });
        }
        return seen;
      };
      const known = await answers(server.administrator.email);
      const unknown = await answers("nobody-here@example.test");
      expect(known.map((a) => a.status)).toEqual([401, 401, 401, 429, 429]);
      expect(known[3]?.notice).toMatch(
        /^Too many attempts\. Try again in \d+ (seconds?|minutes?|hours?)\.$/,
      );
      expect(Number(known[3]?.retryAfter)).toBeGreaterThan(60);
      expect(known[4]?.notice).not.toContain("That did not work");
      // Nothing tells the two apart: the same statuses, notices and waits.
      expect(unknown).toEqual(known);

      // Throttled before any check: the right password is refused as well.
      const right = await postForm(server, "/login", {
        email: server.administrator.email,
        password: server.administrator.password,
      });
      expect(right.status).toBe(429);
      // "Forgot your password?" has counters of its own: the way back stays open.
      const forgot = await postForm(server, "/forgot", { email: server.administrator.email });
      expect(forgot.status).toBe(200);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("LCK-9: web example: behind one trusted proxy the right-most X-Forwarded-For entry is the client; entries to its left cannot move it", async () => {
    const server = await startServer({
      port: 0,
      development: true,
      trustedProxies: 1,
      throttle: { perAddress: { limit: 3, halfLife: { minutes: 10 } } },
    });
    try {
      const signIn = (forwardedFor: string, i: number) =>
        postForm(
          server,
          "/login",
          { email: `person${i}@example.test`, password: "wrong guess" },
          { "x-forwarded-for": forwardedFor },
        );
      // The proxy appends the client's address: 203.0.113.7 tries three e-mails, then is refused.
      for (let i = 0; i < 3; i++) expect((await signIn("203.0.113.7", i)).status).toBe(401);
      expect((await signIn("203.0.113.7", 3)).status).toBe(429);
      // Naming another address on the left changes nothing: the proxy appended the real one.
      expect((await signIn("192.0.2.1, 203.0.113.7", 4)).status).toBe(429);
      // Another client (right-most entry) has its own counter, whatever it sent before.
      expect((await signIn("203.0.113.7, 198.51.100.9", 5)).status).toBe(401);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("LCK-9: web example: the client-address helper trusts X-Forwarded-For only with trusted proxies, takes the N-th entry from the right, and refuses malformed addresses", () => {
    const pick = (
      socket: string | undefined,
      forwardedFor: string | undefined,
      trustedProxies = 0,
    ) => pickClientAddress({ socket, forwardedFor, trustedProxies });
    // Not trusted: the socket, whatever the header says.
    expect(pick("127.0.0.1", "203.0.113.7")).toBe("127.0.0.1");
    expect(pick("::ffff:127.0.0.1", undefined)).toBe("::ffff:127.0.0.1");
    expect(pick("2001:db8::1", "203.0.113.7, 198.51.100.1")).toBe("2001:db8::1");
    expect(pick("fe80::1%eth0", undefined)).toBe("fe80::1"); // the zone names our interface
    expect(pick(undefined, "203.0.113.7")).toBeUndefined();
    // One trusted proxy: the right-most entry, never the socket (the proxy) nor the left.
    expect(pick("10.0.0.2", "203.0.113.7", 1)).toBe("203.0.113.7");
    expect(pick("10.0.0.2", "192.0.2.66, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(pick("10.0.0.2", " 192.0.2.66 ,2001:db8::7 ", 1)).toBe("2001:db8::7");
    // Two: the second from the right (the outer proxy appended the client, the inner one the outer proxy).
    expect(pick("10.0.0.2", "192.0.2.66, 203.0.113.7, 10.0.0.1", 2)).toBe("203.0.113.7");
    // Missing, too short or malformed: no address rather than a wrong one.
    expect(pick("10.0.0.2", undefined, 1)).toBeUndefined();
    expect(pick("10.0.0.2", "203.0.113.7", 2)).toBeUndefined();
    for (const bad of [
      "",
      "unknown",
      "203.0.113.7:4711",
      "[2001:db8::7]",
      "1.2.3",
      "01.2.3.4",
      "_hidden",
    ]) {
      expect(pick("10.0.0.2", `192.0.2.66, ${bad}`, 1), bad).toBeUndefined();
      expect(pick(bad, undefined), bad).toBeUndefined();
    }
  });

  it("LCK-9, PWD-2 v2: web example: refusals read as a wait (429) or a pause (503), never naming the e-mail", () => {
    expect(refusalOf({ type: "TOO_MANY_ATTEMPTS", retryAfter: Duration.fromMillis(1) })).toEqual({
      status: 429,
      message: "Too many attempts. Try again in 1 second.",
      retryAfterSeconds: 1,
    });
    expect(
      refusalOf({ type: "TOO_MANY_ATTEMPTS", retryAfter: Duration.fromObject({ seconds: 250 }) })
        ?.message,
    ).toBe("Too many attempts. Try again in 5 minutes.");
    expect(waitText(45)).toBe("45 seconds");
    expect(waitText(60)).toBe("1 minute");
    expect(waitText(3600)).toBe("1 hour");
    expect(waitText(3601)).toBe("2 hours");
    expect(refusalOf({ type: "THROTTLE_UNAVAILABLE" })?.status).toBe(503);
    expect(refusalOf({ type: "BUSY" })?.status).toBe(503);
    expect(refusalOf({ type: "LOGIN_FAILED" })).toBeUndefined();
  });

  it("LCK-9: web example: TRUSTED_PROXIES must be a small whole number", async () => {
    for (const trustedProxies of [-1, 1.5, Number.NaN, 11]) {
      await expect(startServer({ port: 0, development: true, trustedProxies })).rejects.toThrow(
        /^TRUSTED_PROXIES must be the number of proxies/,
      );
    }
  });
});
