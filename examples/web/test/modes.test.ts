import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMIT } from "../src/app.js";
import { type RunningServer, StartupError, startServer } from "../src/server.js";
import { PRODUCTION, startSmtp } from "./smtp.js";

/** A POST as a browser sends it: the CSRF cookie and field from a form page, from the app's origin. */
async function postForm(server: RunningServer, path: string, fields: Record<string, string>) {
  const form = await fetch(`${server.url}/forgot`);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
  return fetch(`${server.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: server.url,
      cookie: `csrf=${token}`,
    },
    body: new URLSearchParams({ ...fields, _csrf: token }),
  });
}

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let production: RunningServer;
let development: RunningServer;

beforeAll(async () => {
  smtp = await startSmtp();
  production = await startServer({ port: 0, smtpUrl: smtp.url, ...PRODUCTION });
  development = await startServer({ port: 0, development: true });
});
afterAll(async () => {
  await production?.close();
  await development?.close();
  await smtp?.close();
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
