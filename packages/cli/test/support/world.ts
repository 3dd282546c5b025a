import { randomBytes } from "node:crypto";
import { migrate, PostgresStore, pgDriver, type SqlDriver } from "@panel-access/adapter-postgres";
import {
  type ActivityEvent,
  createPanelAccess,
  type DomainEventType,
  type Mailer,
  type PanelAccess,
  type PanelAccessOptions,
} from "@panel-access/core";
import { RecordingMailer } from "@panel-access/core/testing";
import { DATABASE_URL } from "@panel-access/test-support/postgres";
import pg from "pg";
import { type CliIo, type ExitCode, runCli } from "../../src/index.js";

/** The operator the tests run commands as. */
export const OPERATOR = "jane.doe";

/** The application's sealing keys (twoFactor.encryptionKeys), and the same as the CLI reads them. */
export const KEYS = [{ id: "k2026", key: randomBytes(32) }] as const;
export const KEYS_VARIABLE = KEYS.map(({ id, key }) => `${id}:${key.toString("base64")}`).join(",");

/** The application's base URL: what its links must still say after `dispatch` sent them. */
export const APP_URL = "https://app.example.test";

/**
 * The test database's URL with a password in it: the server trusts local
 * connections and ignores it, and no command may ever print it.
 */
export const SECRET_PASSWORD = "pw-never-printed-7d1c";
const url = new URL(DATABASE_URL);
url.password = SECRET_PASSWORD;
export const DATABASE_URL_WITH_PASSWORD = url.href;

/** A schema name no other test uses. */
export function freshSchemaName(): string {
  return `pa_cli_${randomBytes(6).toString("hex")}`;
}

/** What one in-process run of the command line answered and wrote. */
export interface Run {
  readonly code: ExitCode;
  readonly stdout: string;
  readonly stderr: string;
}

/** An in-process run in progress: what it has written so far, and a way to ask it to stop. */
export interface RunningCli {
  readonly done: Promise<Run>;
  /** Everything written to standard error so far. */
  stderr(): string;
  /** Resolves once standard error holds a line for which `matches` holds (no sleeping). */
  stderrLine(matches: (line: string) => boolean): Promise<string>;
  /** Sends the stop request (as SIGTERM would). */
  stop(signal?: string): void;
}

/** Starts `panel-access …argv` in this process with `env` only (no other variable leaks in). */
export function startCli(argv: readonly string[], env: Record<string, string>): RunningCli {
  let stdout = "";
  let stderr = "";
  let requestStop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    requestStop = resolve;
  });
  const waiters: { matches: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  const check = () => {
    const lines = stderr.split("\n");
    for (const waiter of [...waiters]) {
      const line = lines.find(waiter.matches);
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  const io: CliIo = {
    env,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
      check();
    },
    stopRequested: () => stopped,
  };
  const done = runCli(argv, io).then((code) => ({ code, stdout, stderr }));
  return {
    done,
    stderr: () => stderr,
    stderrLine: (matches) =>
      new Promise((resolve) => {
        waiters.push({ matches, resolve });
        check();
      }),
    stop: (signal = "SIGTERM") => requestStop(signal),
  };
}

/** Runs `panel-access …argv` in this process with `env` only, to its end. */
export function cli(argv: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return startCli(argv, env).done;
}

/** The JSON log lines of standard error. */
export function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A migrated schema of its own, the application's library over it, and the CLI's environment for it. */
export interface TestSchema {
  readonly schema: string;
  readonly driver: SqlDriver;
  readonly store: PostgresStore;
  /** What every command needs: the database (with a password) and the schema. */
  readonly env: Record<string, string>;
  /** The application: the same store, keys and app URL; mail only through `dispatchMail`. */
  app(ports?: { mailer?: Mailer }, options?: PanelAccessOptions["mail"]): PanelAccess;
  /** Events of some kinds in the trail, oldest first, as the support team lists them. */
  trail(types: readonly DomainEventType[]): Promise<ActivityEvent[]>;
  drop(): Promise<void>;
}

/** A fresh schema on the real server, migrated by the adapter; `drop()` removes it. */
export async function testSchema(): Promise<TestSchema> {
  const schema = freshSchemaName();
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  const driver = pgDriver(pool);
  await migrate(driver, { schema });
  const store = new PostgresStore(driver, { schema });
  const app = (ports: { mailer?: Mailer } = {}, mail: PanelAccessOptions["mail"] = {}) =>
    createPanelAccess(
      { store, mailer: ports.mailer ?? new RecordingMailer() },
      {
        appUrl: APP_URL,
        twoFactor: { encryptionKeys: [...KEYS] },
        argon2: { memoryCost: 8, timeCost: 1, parallelism: 1 },
        allowWeakHashing: true,
        mail: { sendAfterCommit: false, ...mail },
      },
    );
  const support = app();
  return {
    schema,
    driver,
    store,
    env: { DATABASE_URL: DATABASE_URL_WITH_PASSWORD, PANEL_ACCESS_SCHEMA: schema },
    app,
    async trail(types) {
      const listed = await support.listAllActivity({
        actor: { type: "operator", operatorId: "test" },
        types: [...types],
        limit: 200,
      });
      return listed._unsafeUnwrap().events.reverse();
    },
    async drop() {
      await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      await pool.end();
    },
  };
}
