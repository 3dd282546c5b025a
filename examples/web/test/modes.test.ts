import { spawn } from "node:child_process";
import { type SmtpPeer, startSmtpPeer } from "@panel-access/test-support/smtp-peer";
import { Duration } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMIT } from "../src/app.js";
import { pickClientAddress } from "../src/client-address.js";
import { refusalOf, waitText } from "../src/refusals.js";
import { type RunningServer, StartupError, startServer } from "../src/server.js";
import { PRODUCTION } from "./production.js";

/** A POST as a browser sends it: the CSRF cookie and field from a form page, from the app's origin. */
async function postForm(
  server: RunningServer,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const form = await fetch(`${server.url}/forgot`);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
  return fetch(`${server.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: server.url,
      cookie: `csrf=${token}`,
      ...headers,
    },
    body: new URLSearchParams({ ...fields, _csrf: token }),
  });
}

let smtp: SmtpPeer;
let production: RunningServer;
let development: RunningServer;

beforeAll(async () => {
  smtp = await startSmtpPeer();
  production = await startServer({ port: 0, smtpUrl: smtp.url, ...PRODUCTION });
  development = await startServer({ port: 0, development: true });
});
afterAll(async () => {
  await production?.close();
  await development?.close();
  await smtp?.stop();
});

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
      expect(refused.status, password).toBe(400);
      const body = await refused.text();
      expect(body, password).toContain(reason);
      expect(body, password).toContain('action="/reset-password"');
      expect(body, password).not.toContain(password);
    }
    expect((await fetch(`${development.url}${link.pathname}${link.search}`)).status).toBe(200);
  });

  it("PWD-6: web example: a common ADMIN_PASSWORD is refused at start-up, saying why", async () => {
    await expect(
      startServer({
        port: 0,
        ...PRODUCTION,
        smtpUrl: smtp.url,
        administratorPassword: "Password123!",
      }),
    ).rejects.toThrow(/^ADMIN_PASSWORD was refused \(PWD-6: common\)/);
  });

  it("web example: development mode refuses to start with DATABASE_URL set or an https PUBLIC_URL", async () => {
    await expect(
      startServer({ port: 0, development: true, databaseUrl: "postgres://nobody@127.0.0.1:1/x" }),
    ).rejects.toThrow(/^Development mode refused: DATABASE_URL is set/);
    await expect(
      startServer({ port: 0, development: true, publicUrl: "https://access.example.test" }),
    ).rejects.toThrow(/^Development mode refused: PUBLIC_URL is https/);
  });

  it("web example: outside development mode, start-up needs SMTP_URL, MAIL_FROM, SUPPORT_KEY, and ADMIN_PASSWORD on the first run", async () => {
    const refusal = (options: Parameters<typeof startServer>[0]) =>
      startServer({ port: 0, ...options }).then(
        () => expect.fail("started"),
        (error: unknown) => {
          expect(error).toBeInstanceOf(StartupError);
          return (error as Error).message;
        },
      );
    expect(await refusal({})).toContain("SMTP_URL, MAIL_FROM, SUPPORT_KEY not set");
    expect(await refusal({ ...PRODUCTION, smtpUrl: undefined })).toContain("SMTP_URL not set");
    expect(await refusal({ ...PRODUCTION, smtpUrl: smtp.url, supportKey: "short" })).toContain(
      "SUPPORT_KEY must be at least 16 characters",
    );
    expect(
      await refusal({ ...PRODUCTION, smtpUrl: smtp.url, administratorPassword: undefined }),
    ).toContain("ADMIN_PASSWORD must be set");
    expect(
      await refusal({
        ...PRODUCTION,
        smtpUrl: "smtp://user:secret@mail.example.test?requireTLS=false",
      }),
    ).toMatch(/^SMTP_URL: requireTLS=false is only for a server on this host(?!.*secret)/);
  });

  it("web example: main.ts exits non-zero when refused, and outside development mode logs no secret", async () => {
    const refused = await runMain(["--dev"], { DATABASE_URL: "postgres://nobody@127.0.0.1:1/x" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Development mode refused: DATABASE_URL is set");

    const started = await runMain([], {
      SMTP_URL: smtp.url,
      MAIL_FROM: PRODUCTION.mailFrom,
      ADMIN_EMAIL: PRODUCTION.administratorEmail,
      ADMIN_PASSWORD: PRODUCTION.administratorPassword,
      SUPPORT_KEY: PRODUCTION.supportKey,
    });
    expect(started.code).toBe(0); // stopped by SIGTERM once it said where it runs
    expect(started.stdout).toContain(
      "administrator: owner@example.test (password: ADMIN_PASSWORD)",
    );
    expect(started.stdout).not.toContain(PRODUCTION.administratorPassword);
    expect(started.stdout + started.stderr).not.toContain(PRODUCTION.supportKey);
    expect(started.stdout).not.toContain("/mail");
  }, 60_000);
});

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

/** Runs `src/main.ts` (as `pnpm start` does) on a free port; stops it with SIGTERM once it printed its administrator line. */
function runMain(args: string[], env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ["--conditions=@panel-access/source", "--import", "tsx", "src/main.ts", ...args],
    {
      cwd: new URL("..", import.meta.url),
      env: { PATH: process.env.PATH ?? "", PORT: "0", ...env },
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes("administrator:")) child.kill("SIGTERM");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
}
