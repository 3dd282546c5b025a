import { spawn } from "node:child_process";
import { type SmtpPeer, startSmtpPeer } from "@panel-access/test-support/smtp-peer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StartupError, startServer } from "../src/server.js";
import { PRODUCTION } from "./production.js";

let smtp: SmtpPeer;
beforeAll(async () => {
  smtp = await startSmtpPeer();
});
afterAll(() => smtp.stop());

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

describe("the example web app's modes", () => {
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

  it("AUD-2: web example: the activity page size must be one the library accepts (1 to 200)", async () => {
    for (const activityPageSize of [0, 201, 2.5, Number.NaN]) {
      await expect(startServer({ port: 0, development: true, activityPageSize })).rejects.toThrow(
        /^activityPageSize must be a whole number from 1 to 200/,
      );
    }
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
