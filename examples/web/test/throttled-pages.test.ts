import { type ErrorBody, refusal, waitText } from "@panel-access/http";
import { Duration } from "luxon";
import { describe, expect, it } from "vitest";
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

  it("LCK-9: web example: behind a trusted proxy (TRUSTED_PROXIES=loopback) the right-most X-Forwarded-For entry is the client; entries to its left cannot move it", async () => {
    const server = await startServer({
      port: 0,
      development: true,
      trustedProxies: ["loopback"], // the test's requests come from 127.0.0.1: our "proxy"
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

  it("LCK-9: web example: the client's address trusts X-Forwarded-For only from a trusted proxy, reads it right to left past the trusted proxies, and refuses malformed addresses", async () => {
    const server = await startServer({
      port: 0,
      development: true,
      trustedProxies: ["10.0.0.0/8"],
    });
    try {
      const pick = (socketAddress: string | undefined, forwardedFor?: string) =>
        server.app.http.clientAddress(
          new Headers(forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor }),
          { socketAddress },
        );
      // Not from a trusted proxy: the socket, whatever the header says.
      expect(pick("127.0.0.1", "203.0.113.7")).toBe("127.0.0.1");
      expect(pick("::ffff:127.0.0.1")).toBe("::ffff:127.0.0.1");
      expect(pick("2001:db8::1", "203.0.113.7, 198.51.100.1")).toBe("2001:db8::1");
      expect(pick("fe80::1%eth0")).toBe("fe80::1"); // the zone names our interface
      expect(pick(undefined, "203.0.113.7")).toBeUndefined();
      // From a trusted proxy: the right-most entry, never the socket (the proxy) nor the left.
      expect(pick("10.0.0.2", "203.0.113.7")).toBe("203.0.113.7");
      expect(pick("10.0.0.2", "192.0.2.66, 203.0.113.7")).toBe("203.0.113.7");
      expect(pick("10.0.0.2", " 192.0.2.66 ,2001:db8::7 ")).toBe("2001:db8::7");
      expect(pick("::ffff:10.0.0.2", "203.0.113.7")).toBe("203.0.113.7");
      // Two proxies of ours in a row: past both (the outer one appended the client, the inner one the outer proxy).
      expect(pick("10.0.0.2", "192.0.2.66, 203.0.113.7, 10.0.0.1")).toBe("203.0.113.7");
      // A proxy that sent no header is the client itself (proxy-addr, as Express).
      expect(pick("10.0.0.2")).toBe("10.0.0.2");
      // A port some proxies append, or IPv6 brackets: the address without them.
      expect(pick("10.0.0.2", "192.0.2.66, 203.0.113.7:4711")).toBe("203.0.113.7");
      expect(pick("10.0.0.2", "192.0.2.66, [2001:db8::7]")).toBe("2001:db8::7");
      // Malformed: no address rather than a wrong one.
      for (const bad of ["unknown", "1.2.3", "01.2.3.4", "_hidden"]) {
        expect(pick("10.0.0.2", `192.0.2.66, ${bad}`), bad).toBeUndefined();
        expect(pick(bad), bad).toBeUndefined();
      }
      expect(pick("")).toBeUndefined();
    } finally {
      await server.close();
    }
  }, 60_000);

  it("LCK-9, PWD-2 v2: web example: refusals read as a wait (429, Retry-After) or a pause (503), never naming the e-mail", () => {
    const page = (error: Parameters<typeof refusal>[0]) => {
      const answer = refusal(error);
      return {
        status: answer.status,
        notice: (answer.body as ErrorBody).error.message,
        retryAfter: answer.headers?.["Retry-After"],
      };
    };
    expect(page({ type: "TOO_MANY_ATTEMPTS", retryAfter: Duration.fromMillis(1) })).toEqual({
      status: 429,
      notice: "Too many attempts. Try again in 1 second.",
      retryAfter: "1",
    });
    expect(
      page({ type: "TOO_MANY_ATTEMPTS", retryAfter: Duration.fromObject({ seconds: 250 }) }).notice,
    ).toBe("Too many attempts. Try again in 5 minutes.");
    expect(waitText(45)).toBe("45 seconds");
    expect(waitText(60)).toBe("1 minute");
    expect(waitText(3600)).toBe("1 hour");
    expect(waitText(3601)).toBe("2 hours");
    expect(page({ type: "THROTTLE_UNAVAILABLE" }).status).toBe(503);
    expect(page({ type: "BUSY" }).status).toBe(503);
    expect(page({ type: "LOGIN_FAILED" })).toMatchObject({ status: 401, retryAfter: undefined });
    expect(page({ type: "LOGIN_FAILED" }).notice).not.toMatch(/Too many|@/);
  });

  it("LCK-9: web example: TRUSTED_PROXIES must be proxy addresses or CIDR ranges", async () => {
    for (const trustedProxies of [["not-an-address"], ["10.0.0.0/33"], ["203.0.113.7:80"]]) {
      await expect(startServer({ port: 0, development: true, trustedProxies })).rejects.toThrow(
        /^TRUSTED_PROXIES must be proxy addresses or CIDR ranges/,
      );
    }
  });
});
