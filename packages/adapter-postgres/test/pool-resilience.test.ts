import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { LogFields, Logger } from "@panel-access/core";
import { DATABASE_URL, serverAvailable } from "@panel-access/test-support/postgres";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { pgDriver } from "../src/index.js";
import { testDatabase } from "./database.js";

// Issue 15, "Driver resilience": a pool whose idle connections die (a server
// restart, here pg_terminate_backend: nothing is restarted on the shared server)
// must not take the host down.

const onServer = await serverAvailable();
const database = onServer ? await testDatabase("server") : null;
afterAll(() => database?.drop());
/** The test file's own schema (the tests run only on the server). */
const schema = database?.schema ?? "";

/** Failure guard only: every wait below ends on a line the child prints. */
const WAIT_MS = 20_000;

/** fixtures/pool-app.ts in its own Node process, as a host runs it, with a line protocol. */
class PoolApp {
  readonly applicationName = `pa_pool_app_${randomBytes(6).toString("hex")}`;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: string[] = [];
  #stderr = "";
  #seen = 0;
  #onLine = () => {};
  #exited = false;
  readonly exited: Promise<number | null>;

  constructor(schema: string, options: { unguarded: boolean }) {
    const url = new URL(DATABASE_URL);
    url.searchParams.set("application_name", this.applicationName);
    this.#child = spawn(
      process.execPath,
      ["--conditions=@panel-access/source", "--import", "tsx", "test/fixtures/pool-app.ts"],
      {
        cwd: new URL("..", import.meta.url),
        env: {
          PATH: process.env.PATH ?? "",
          DATABASE_URL: url.href,
          PANEL_ACCESS_SCHEMA: schema,
          ...(options.unguarded && { POOL_APP_UNGUARDED: "1" }),
        },
      },
    );
    let partial = "";
    this.#child.stdout.on("data", (chunk: Buffer) => {
      partial += chunk.toString();
      const complete = partial.split("\n");
      partial = complete.pop() ?? "";
      this.#lines.push(...complete);
      this.#onLine();
    });
    this.#child.stderr.on("data", (chunk: Buffer) => {
      this.#stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) =>
      this.#child.on("close", (code) => {
        this.#exited = true;
        this.#onLine();
        resolve(code);
      }),
    );
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Ends the child's input: it ends its pool and exits by itself. */
  end(): void {
    this.#child.stdin.end();
  }

  /** The next line the child prints that `matches`; lines before it are passed over. */
  next(matches: (line: string) => boolean, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        this.#onLine = () => {};
        outcome();
      };
      const timer = setTimeout(
        () => settle(() => reject(this.#failure(`no "${what}" within ${WAIT_MS} ms`))),
        WAIT_MS,
      );
      const look = () => {
        while (this.#seen < this.#lines.length) {
          const line = this.#lines[this.#seen++] ?? "";
          if (matches(line)) return settle(() => resolve(line));
        }
        if (this.#exited) settle(() => reject(this.#failure(`exited before "${what}"`)));
      };
      this.#onLine = look;
      look();
    });
  }

  #failure(what: string): Error {
    return new Error(
      `pool-app ${what}; stdout: ${this.#lines.join(" | ")}; stderr: ${this.#stderr}`,
    );
  }

  async login(): Promise<string> {
    this.#child.stdin.write("login\n");
    return this.next((line) => line.startsWith("answered "), "answered");
  }

  kill(): void {
    this.#child.kill("SIGKILL");
  }
}

/** Terminates every connection of `applicationName` (idle: the child waits for a command); answers how many. */
async function terminateConnections(applicationName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ terminated: boolean }>(
      "SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1",
      [applicationName],
    );
    return rows.filter((row) => row.terminated).length;
  } finally {
    await admin.end();
  }
}

const LOST = "warn idle database connection lost ";

describe.runIf(onServer)("Driver resilience (issue 15): a pool whose idle connections die", () => {
  it("an app built as docs/postgres.md shows keeps answering after its idle connections are terminated, logs each, and exits 0", async () => {
    const app = new PoolApp(schema, { unguarded: false });
    try {
      await app.next((line) => line === "ready", "ready");
      expect(await app.login()).toBe("answered LOGIN_FAILED");
      expect(await app.login()).toBe("answered LOGIN_FAILED");

      const terminated = await terminateConnections(app.applicationName);
      expect(terminated).toBeGreaterThan(0);
      for (let i = 0; i < terminated; i++) {
        const lost = await app.next((line) => line.startsWith(LOST), "connection lost");
        // The SQLSTATE of a termination, and nothing of the error's text.
        expect(JSON.parse(lost.slice(LOST.length))).toEqual({ code: "57P01" });
      }

      // A fresh connection answers the next request.
      expect(await app.login()).toBe("answered LOGIN_FAILED");
      app.end();
      expect(await app.exited).toBe(0);
      expect(app.stderr).not.toMatch(/error/i);
    } finally {
      app.kill();
    }
  });

  it("the same app with the pool's 'error' listener removed crashes on the same termination (what the test above would catch)", async () => {
    const app = new PoolApp(schema, { unguarded: true });
    try {
      await app.next((line) => line === "ready", "ready");
      expect(await app.login()).toBe("answered LOGIN_FAILED");

      expect(await terminateConnections(app.applicationName)).toBeGreaterThan(0);
      expect(await app.exited).not.toBe(0);
      expect(app.stderr).toMatch(/terminating connection due to administrator command/);
    } finally {
      app.kill();
    }
  });
});

describe.runIf(onServer)("Driver resilience (issue 15): pgDriver and its pool", () => {
  /** A logger that keeps its warnings. */
  function recordingLogger(): Logger & { warnings: [string, LogFields | undefined][] } {
    const warnings: [string, LogFields | undefined][] = [];
    return {
      warnings,
      debug: () => {},
      info: () => {},
      warn: (message, fields) => warnings.push([message, fields]),
      error: () => {},
    };
  }

  it("adds one 'error' listener per pool, however many drivers are built on it", async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL });
    try {
      pgDriver(pool);
      pgDriver(pool);
      pgDriver(pool, { logger: recordingLogger() });
      expect(pool.listenerCount("error")).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it("reports a dropped idle connection to each driver's logger, once each, and a throwing logger changes nothing", async () => {
    const applicationName = `pa_pool_${randomBytes(6).toString("hex")}`;
    const url = new URL(DATABASE_URL);
    url.searchParams.set("application_name", applicationName);
    const pool = new pg.Pool({ connectionString: url.href, max: 1 });
    const first = recordingLogger();
    const second = recordingLogger();
    const throwing: Logger = {
      ...recordingLogger(),
      warn: () => {
        throw new Error("a broken logger");
      },
    };
    try {
      const driver = pgDriver(pool, { logger: first });
      pgDriver(pool, { logger: first });
      pgDriver(pool, { logger: throwing });
      pgDriver(pool, { logger: second });
      await driver.statement?.("SELECT 1");
      const lost = new Promise((resolve) => pool.once("error", resolve));
      expect(await terminateConnections(applicationName)).toBe(1);
      await lost;
      const expected = [["idle database connection lost", { code: "57P01" }]];
      expect(first.warnings).toEqual(expected);
      expect(second.warnings).toEqual(expected);
      expect(await driver.statement?.("SELECT 2 AS n")).toEqual({ rows: [{ n: 2 }] });
    } finally {
      await pool.end();
    }
  });

  it("a statement or a transaction whose connection dies while it runs rejects, and the next call gets a fresh connection", async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    const driver = pgDriver(pool);
    // The backend terminates itself in the middle of the call: no timing involved.
    const suicide = "SELECT pg_terminate_backend(pg_backend_pid())";
    try {
      await expect(driver.statement?.(suicide)).rejects.toMatchObject({ code: "57P01" });
      expect(await driver.statement?.("SELECT 1 AS n")).toEqual({ rows: [{ n: 1 }] });
      await expect(driver.transaction((client) => client.query(suicide))).rejects.toMatchObject({
        code: "57P01",
      });
      expect(await driver.transaction((client) => client.query("SELECT 2 AS n"))).toEqual({
        rows: [{ n: 2 }],
      });
    } finally {
      await pool.end();
    }
  });
});
