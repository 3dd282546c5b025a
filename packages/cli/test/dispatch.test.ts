import { type SmtpPeer, startSmtpPeer } from "@panel-access/test-support/smtp-peer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APP_URL,
  cli,
  KEYS,
  KEYS_VARIABLE,
  logLines,
  OPERATOR,
  SECRET_PASSWORD,
  startCli,
  type TestSchema,
  testSchema,
} from "./support/world.js";

const ADMIN = "first.admin@example.com";
let db: TestSchema;
let peer: SmtpPeer;
let env: Record<string, string>;

beforeAll(async () => {
  [db, peer] = await Promise.all([testSchema(), startSmtpPeer()]);
  env = {
    ...db.env,
    PANEL_ACCESS_ENCRYPTION_KEYS: KEYS_VARIABLE,
    PANEL_ACCESS_MAIL_FROM: "Acme Access <no-reply@acme.example>",
    PANEL_ACCESS_PRODUCT_NAME: "Acme Access",
    PANEL_ACCESS_SMTP_HOST: "127.0.0.1",
    PANEL_ACCESS_SMTP_PORT: String(peer.port),
    // The test server offers no STARTTLS.
    PANEL_ACCESS_SMTP_REQUIRE_TLS: "false",
  };
});
afterAll(async () => {
  await peer.stop();
  await db.drop();
});

describe("panel-access dispatch (MAIL-2: the dispatcher; MAIL-4: a graceful shutdown)", () => {
  it("MAIL-2, MAIL-4: dispatch delivers a message the application queued to the SMTP server, with the application's link, then stops on SIGTERM after shutdown and exits 0", async () => {
    const app = db.app();
    (
      await app.createPanel({ actor: { type: "system" }, name: "Acme", administratorEmail: ADMIN })
    )._unsafeUnwrap();
    const running = startCli(["dispatch", "--operator", OPERATOR, "--every", "60000"], env);

    const received = await peer.next();
    expect(received.rcptTo).toEqual([ADMIN]);
    expect(received.parsed.subject).toContain("Acme");
    expect(received.parsed.text).toContain(`${APP_URL}/register?token=`);
    await running.stderrLine((line) => line.includes('"msg":"mail round"'));
    running.stop("SIGTERM");
    const run = await running.done;

    expect(run.code).toBe(0);
    expect(run.stdout).toBe("stopped on SIGTERM: every send under way finished\n");
    const lines = logLines(run.stderr);
    expect(lines.map((line) => line.msg)).toEqual([
      "dispatcher started",
      "mail round",
      "dispatcher stopping",
      "panel-access shut down",
    ]);
    expect(lines).toEqual([
      expect.objectContaining({ level: "info", schema: db.schema, every: 60_000 }),
      expect.objectContaining({ level: "info", sent: 1, retrying: 0, failed: 0 }),
      expect.objectContaining({ level: "info", signal: "SIGTERM" }),
      expect.objectContaining({ level: "info", settled: true, unfinished: 0 }),
    ]);
    expect(lines.every((line) => line.command === "dispatch" && line.operator === OPERATOR)).toBe(
      true,
    );
    const sent = await app.listMail({
      actor: { type: "operator", operatorId: "test" },
      status: "sent",
    });
    expect(sent._unsafeUnwrap()).toEqual([expect.objectContaining({ kind: "invitation" })]);
    for (const secret of [SECRET_PASSWORD, KEYS[0].key.toString("base64"), "token="]) {
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
  });

  it("MAIL-2: dispatch stops on SIGINT too, with nothing to send, and exits 0", async () => {
    const running = startCli(["dispatch", "--operator", OPERATOR], env);
    await running.stderrLine((line) => line.includes('"msg":"dispatcher started"'));
    running.stop("SIGINT");
    const run = await running.done;
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("stopped on SIGINT: every send under way finished\n");
  });

  it("MAIL-4: a send still under way at the shutdown deadline is reported unfinished and dispatch exits 1", async () => {
    const silent = await startSmtpPeer();
    silent.silence(); // accepts the connection, never greets: the send hangs
    (
      await db.app().createPanel({
        actor: { type: "system" },
        name: "Hanging",
        administratorEmail: "hanging.admin@example.com",
      })
    )._unsafeUnwrap();
    const running = startCli(["dispatch", "--operator", OPERATOR, "--shutdown-timeout", "0"], {
      ...env,
      PANEL_ACCESS_SMTP_PORT: String(silent.port),
    });
    await silent.holding();
    running.stop("SIGTERM");
    const run = await running.done;
    await silent.stop();
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      "stopped on SIGTERM: 1 unfinished at the deadline (sent again after mail.claimFor)\n",
    );
    expect(logLines(run.stderr)).toContainEqual(
      expect.objectContaining({ level: "warn", msg: "panel-access shut down", settled: false }),
    );
  });

  it("INP-1, MAIL-2: dispatch names every missing variable at once (exit 3), before it connects to anything", async () => {
    const run = await cli(["dispatch", "--operator", OPERATOR], {});
    expect(run.code).toBe(3);
    for (const variable of [
      "DATABASE_URL",
      "PANEL_ACCESS_ENCRYPTION_KEYS",
      "PANEL_ACCESS_MAIL_FROM",
      "PANEL_ACCESS_SMTP_HOST",
    ]) {
      expect(run.stderr).toContain(`panel-access: configuration: ${variable}: required`);
    }
  });

  it("INP-1, MAIL-2: a key that is not 32 bytes, a sender that is not one address, a bad time zone or half the SMTP credentials is a configuration error (exit 3) that never echoes the value", async () => {
    const shortKey = Buffer.alloc(31, 7).toString("base64");
    const cases: [Record<string, string>, string][] = [
      [
        { PANEL_ACCESS_ENCRYPTION_KEYS: `k1:${shortKey}` },
        "PANEL_ACCESS_ENCRYPTION_KEYS: entry 1 (k1): a 32-byte AES-256 key",
      ],
      [{ PANEL_ACCESS_ENCRYPTION_KEYS: "no-colon-here" }, "PANEL_ACCESS_ENCRYPTION_KEYS: entry 1"],
      [{ PANEL_ACCESS_MAIL_FROM: "nobody" }, "(PANEL_ACCESS_MAIL_FROM)"],
      [{ PANEL_ACCESS_TIME_ZONE: "Mars/Olympus" }, "(PANEL_ACCESS_TIME_ZONE)"],
      [{ PANEL_ACCESS_SMTP_PASSWORD: "half-of-it" }, "PANEL_ACCESS_SMTP_USER: set both"],
      [{ PANEL_ACCESS_SMTP_PORT: "70000" }, "PANEL_ACCESS_SMTP_PORT: a port number"],
      [{ PANEL_ACCESS_SMTP_REQUIRE_TLS: "nope" }, "PANEL_ACCESS_SMTP_REQUIRE_TLS: true or false"],
    ];
    for (const [change, expected] of cases) {
      const run = await cli(["dispatch", "--operator", OPERATOR], { ...env, ...change });
      expect(run.code, expected).toBe(3);
      expect(run.stderr).toContain(expected);
      for (const value of Object.values(change)) expect(run.stderr).not.toContain(value);
    }
  });

  it("MAIL-2: dispatch with the database unreachable exits 4 naming where it looked, without the password", async () => {
    const run = await cli(["dispatch", "--operator", OPERATOR], {
      ...env,
      DATABASE_URL: `postgres://postgres:${SECRET_PASSWORD}@127.0.0.1:1/test`,
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      "panel-access: the database at 127.0.0.1:1/test is unreachable (ECONNREFUSED)\n",
    );
  });
});
