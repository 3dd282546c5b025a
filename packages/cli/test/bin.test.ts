import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { type SmtpPeer, startSmtpPeer } from "@panel-access/test-support/smtp-peer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DATABASE_URL_WITH_PASSWORD,
  freshSchemaName,
  KEYS_VARIABLE,
  OPERATOR,
  SECRET_PASSWORD,
  type TestSchema,
  testSchema,
} from "./support/world.js";

/** The real executable, src/bin.ts, in a Node process of its own, as `panel-access` runs. */
class Bin {
  readonly #child: ChildProcessWithoutNullStreams;
  stdout = "";
  stderr = "";
  readonly exited: Promise<number | null>;
  /** Whether the process has not exited yet. */
  running = true;
  #onOutput = () => {};

  constructor(argv: readonly string[], env: Record<string, string>) {
    this.#child = spawn(
      process.execPath,
      ["--conditions=@panel-access/source", "--import", "tsx", "src/bin.ts", ...argv],
      { cwd: new URL("..", import.meta.url), env: { PATH: process.env.PATH ?? "", ...env } },
    );
    this.#child.stdout.on("data", (chunk: Buffer) => {
      this.stdout += chunk.toString();
      this.#onOutput();
    });
    this.#child.stderr.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString();
      this.#onOutput();
    });
    this.exited = new Promise((resolve) =>
      this.#child.on("close", (code) => {
        this.running = false;
        resolve(code);
      }),
    );
  }

  /** Resolves once standard error holds `text` (a log line's message, say). */
  stderrHas(text: string): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.stderr.includes(text)) resolve();
      };
      const previous = this.#onOutput;
      this.#onOutput = () => {
        previous();
        check();
      };
      check();
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }
}

/** Runs the executable to its end. */
async function run(argv: readonly string[], env: Record<string, string>) {
  const bin = new Bin(argv, env);
  const code = await bin.exited;
  return { code, stdout: bin.stdout, stderr: bin.stderr };
}

let db: TestSchema;
let peer: SmtpPeer;
const fresh = freshSchemaName();

beforeAll(async () => {
  [db, peer] = await Promise.all([testSchema(), startSmtpPeer()]);
});
afterAll(async () => {
  await db.driver.transaction((client) => client.exec(`DROP SCHEMA IF EXISTS "${fresh}" CASCADE`));
  await peer.stop();
  await db.drop();
});

/** What dispatch reads: the test schema, the keys, the SMTP peer (no STARTTLS); `extra` over it. */
function dispatchEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...db.env,
    PANEL_ACCESS_ENCRYPTION_KEYS: KEYS_VARIABLE,
    PANEL_ACCESS_MAIL_FROM: "no-reply@acme.example",
    PANEL_ACCESS_SMTP_HOST: "127.0.0.1",
    PANEL_ACCESS_SMTP_PORT: String(peer.port),
    PANEL_ACCESS_SMTP_REQUIRE_TLS: "false",
    ...extra,
  };
}

// Each process compiles the sources through tsx first (a few seconds on a busy machine):
// a failure guard only, every wait below ends on the process's exit or its output.
describe("the panel-access executable, end to end (a process of its own)", {
  timeout: 120_000,
}, () => {
  it("AUD-2: status exits 5 on a fresh schema, migrate applies it as the operator (exit 0), status then exits 0", async () => {
    const env = { DATABASE_URL: DATABASE_URL_WITH_PASSWORD, PANEL_ACCESS_SCHEMA: fresh };
    const before = await run(["status"], env);
    expect(before.code).toBe(5);
    expect(before.stdout).toContain("pending  001_initial.sql");
    const migrated = await run(["migrate", "--operator", OPERATOR], env);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain("applied 001_initial.sql (version 1)");
    expect(migrated.stderr).toContain(`"msg":"migrations done"`);
    expect(migrated.stderr).toContain(`"operator":"${OPERATOR}"`);
    const after = await run(["status"], env);
    expect(after.code).toBe(0);
    for (const output of [before, migrated, after]) {
      expect(output.stdout + output.stderr).not.toContain(SECRET_PASSWORD);
    }
  });

  it("MAIL-2, MAIL-4: dispatch sends what the application queued, and on SIGTERM shuts down and exits 0", async () => {
    (
      await db.app().createPanel({
        actor: { type: "system" },
        name: "Acme",
        administratorEmail: "bin.admin@example.com",
      })
    )._unsafeUnwrap();
    const bin = new Bin(["dispatch", "--operator", OPERATOR], dispatchEnv());
    const received = await peer.next();
    expect(received.rcptTo).toEqual(["bin.admin@example.com"]);
    await bin.stderrHas(`"msg":"mail round"`);
    bin.kill("SIGTERM");
    expect(await bin.exited).toBe(0);
    expect(bin.stdout).toBe("stopped on SIGTERM: every send under way finished\n");
    expect(bin.stderr).toContain(`"msg":"panel-access shut down","settled":true`);
    expect(bin.stderr).not.toContain(SECRET_PASSWORD);
  });

  it("MAIL-4: dispatch stays up when the pool loses its idle connection (the library's timer is unref'd), and stops on SIGTERM with exit 0", async () => {
    // The CLI's pool names its connections panel-access-cli; the URL's application_name
    // (which pg lets override it) gives this process's a name of its own, so that the
    // in-process runs of the other test files, on the same database, are left alone.
    const applicationName = `panel-access-cli-${randomBytes(4).toString("hex")}`;
    const url = new URL(db.env.DATABASE_URL ?? "");
    url.searchParams.set("application_name", applicationName);
    const bin = new Bin(
      ["dispatch", "--operator", OPERATOR, "--every", "600000"],
      dispatchEnv({ DATABASE_URL: url.href }),
    );
    await bin.stderrHas(`"msg":"dispatcher started"`);
    // The pool's one connection answered SELECT 1 at start-up, then ran the first round (an
    // empty outbox: one transaction). Once that has ended the connection is idle in the pool:
    // ask until it is (each question a round trip to the server, no sleep).
    let terminated = 0;
    while (terminated === 0 && bin.running) {
      const { rows } = await db.driver.transaction((client) =>
        client.query<{ terminated: boolean }>(
          `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
            WHERE application_name = $1 AND datname = current_database()
              AND pid <> pg_backend_pid() AND state = 'idle' AND query <> 'SELECT 1'`,
          [applicationName],
        ),
      );
      terminated = rows.filter((row) => row.terminated).length;
    }
    expect(terminated).toBe(1);
    await Promise.race([bin.stderrHas(`"msg":"idle database connection lost"`), bin.exited]);
    // Nothing is left in the event loop but what the executable holds while it waits:
    // without it, the process would exit 0 here by itself, and never print the line below.
    bin.kill("SIGTERM");
    expect(await bin.exited).toBe(0);
    expect(bin.stdout).toBe("stopped on SIGTERM: every send under way finished\n");
    expect(bin.stderr).toContain(`"msg":"idle database connection lost","code":"57P01"`);
    expect(bin.stderr).not.toContain("internal error");
    expect(bin.stderr).not.toContain(SECRET_PASSWORD);
  });

  it("MAIL-4: SIGHUP (the terminal closing) stops dispatch gracefully, as SIGTERM does: exit 0", async () => {
    const bin = new Bin(["dispatch", "--operator", OPERATOR, "--every", "600000"], dispatchEnv());
    await bin.stderrHas(`"msg":"dispatcher started"`);
    bin.kill("SIGHUP");
    expect(await bin.exited).toBe(0);
    expect(bin.stdout).toBe("stopped on SIGHUP: every send under way finished\n");
    expect(bin.stderr).toContain(`"msg":"dispatcher stopping","signal":"SIGHUP"`);
    expect(bin.stderr).toContain(`"msg":"panel-access shut down","settled":true`);
  });

  it("INP-1: the executable's exit code for a missing variable is 3, and for --help 0", async () => {
    expect((await run(["unblock", "a@example.com", "--operator", OPERATOR], {})).code).toBe(3);
    const help = await run(["mail", "retry", "--help"], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: panel-access mail retry [options] <id>");
  });
});
