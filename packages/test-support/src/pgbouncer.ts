import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import pg from "pg";
import { DATABASE_URL, type PostgresAdapter, serverAvailable } from "./postgres.js";

/**
 * PgBouncer in transaction pooling mode in front of the PostgreSQL server at
 * `DATABASE_URL`, for the tests of adapter-postgres. Each test file starts its
 * own `pgbouncer` process with its own config in a temporary folder, listening
 * on 127.0.0.1 on a free port, and stops it afterwards: no system service is
 * used. Only the binary is needed (Debian's `pgbouncer`; `.ci/run` installs it).
 *
 * PgBouncer refuses to run as root ("PgBouncer should not run as root"): when
 * the tests run as root (CI containers), the config says `user = postgres` (or
 * `nobody` where no `postgres` account exists), so PgBouncer reads its config
 * and opens its socket as root, then switches to that user.
 */

/** Where a binary may be when not on `PATH` (Debian puts pgbouncer in /usr/sbin). */
const SBIN = ["/usr/sbin", "/usr/local/sbin", "/sbin"];

/** How long PgBouncer may take to answer after its start, in attempts of `POLL_MS`. */
const READY_ATTEMPTS = 200;
const POLL_MS = 25;

/**
 * The `pgbouncer` binary: `PGBOUNCER` (a path), else the first on `PATH` or
 * in /usr/sbin. Throws when there is none, in CI and outside it alike: a
 * missing PgBouncer fails its tests loudly instead of skipping them.
 */
export function pgBouncerBinary(): string {
  const given = process.env.PGBOUNCER;
  const candidates = given
    ? [given]
    : [...(process.env.PATH ?? "").split(delimiter), ...SBIN]
        .filter((dir) => dir !== "")
        .map((dir) => join(dir, "pgbouncer"));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: the next
    }
  }
  throw new Error(
    given
      ? `PGBOUNCER=${given} is not an executable file.`
      : "These tests need PgBouncer's binary and found none on PATH or in /usr/sbin: install Debian's package (apt-get install pgbouncer; .ci/run does), or set PGBOUNCER to its path. They fail instead of being skipped.",
  );
}

/** A running PgBouncer of this test file. */
export interface PgBouncer {
  /** The URL a client connects to: the server's database and user, through PgBouncer. */
  readonly url: string;
  readonly port: number;
  /** PgBouncer's admin console (`SHOW POOLS`, `SHOW CONFIG`…), on the same port. */
  readonly adminUrl: string;
  /** `default_pool_size`: server connections per database and user at most. */
  readonly poolSize: number;
  /** The binary's version, as `[major, minor]` (`pgbouncer --version`). */
  readonly version: readonly [number, number];
  /** What PgBouncer wrote to stderr (its log), the last 64 KiB. */
  log(): string;
  /** Stops it (SIGTERM, a fast exit) and removes its folder; waits until it has exited. */
  stop(): Promise<void>;
}

/** Settings of a PgBouncer started by `startPgBouncer`. */
export interface PgBouncerOptions {
  /** `default_pool_size`. @default 8 */
  readonly poolSize?: number;
  /** `max_client_conn`. @default 200 */
  readonly maxClientConnections?: number;
}

/** A port nothing listens on right now (PgBouncer is retried on another if it loses the race). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/** `pgbouncer --version`'s `[major, minor]`. */
function versionOf(binary: string): [number, number] {
  const out = spawnSync(binary, ["--version"], { encoding: "utf8" });
  const match = /PgBouncer (\d+)\.(\d+)/.exec(`${out.stdout}${out.stderr}`);
  if (!match)
    throw new Error(`${binary} --version did not name a PgBouncer version: ${out.stdout}`);
  return [Number(match[1]), Number(match[2])];
}

/** The OS user PgBouncer switches to when started as root. */
function unprivilegedUser(): string {
  try {
    const passwd = readFileSync("/etc/passwd", "utf8");
    if (/^postgres:/m.test(passwd)) return "postgres";
  } catch {
    // no /etc/passwd to read: nobody
  }
  return "nobody";
}

/** A value of PgBouncer's `[databases]` line, quoted libpq-style. */
function quoted(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** The backend the config points at, from `DATABASE_URL`. */
function backend() {
  const url = new URL(DATABASE_URL);
  const dbname = decodeURIComponent(url.pathname.replace(/^\//, "")) || "postgres";
  const user = decodeURIComponent(url.username) || "postgres";
  const password = decodeURIComponent(url.password);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1";
  const port = url.port || "5432";
  return { dbname, user, password, host, port };
}

function configText(
  port: number,
  options: Required<PgBouncerOptions>,
  version: readonly [number, number],
): string {
  const b = backend();
  const target = [
    `host=${quoted(b.host)}`,
    `port=${b.port}`,
    `dbname=${quoted(b.dbname)}`,
    `user=${quoted(b.user)}`,
    ...(b.password ? [`password=${quoted(b.password)}`] : []),
  ].join(" ");
  const lines = [
    "[databases]",
    `${b.dbname} = ${target}`,
    "",
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${port}`,
    // No Unix socket: nothing to create in a shared folder.
    "unix_socket_dir =",
    // `any`: the client's user name is not checked; the server is reached as the [databases] line's user.
    "auth_type = any",
    `admin_users = ${b.user}`,
    "pool_mode = transaction",
    `default_pool_size = ${options.poolSize}`,
    "min_pool_size = 0",
    "reserve_pool_size = 0",
    `max_client_conn = ${options.maxClientConnections}`,
    // A test that waits for a server connection this long is stuck: fail it, do not wait 2 minutes.
    "query_wait_timeout = 30",
    // 1.21+ can track named prepared statements (on by default from 1.22): off, so these tests
    // prove the adapter needs none, as on the 1.18 of Debian 12.
    ...(version[0] > 1 || version[1] >= 21 ? ["max_prepared_statements = 0"] : []),
    "log_connections = 0",
    "log_disconnections = 0",
    ...(process.getuid?.() === 0 ? [`user = ${unprivilegedUser()}`] : []),
  ];
  return `${lines.join("\n")}\n`;
}

/** Whether a client gets an answer through PgBouncer at `url`. */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on("error", () => {}); // a refused connection rejects connect(); no unhandled 'error'
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The children still running: killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** One attempt at a start on `port`: ready, or `null` when the process exited first. */
async function startOn(
  binary: string,
  port: number,
  options: Required<PgBouncerOptions>,
  version: readonly [number, number],
): Promise<PgBouncer | null> {
  const dir = mkdtempSync(join(tmpdir(), "pgbouncer-test-"));
  const config = join(dir, "pgbouncer.ini");
  writeFileSync(config, configText(port, options, version));
  const child = spawn(binary, [config], { stdio: ["ignore", "ignore", "pipe"] });
  running.add(child);
  let log = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    log = (log + chunk).slice(-65_536);
  });
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      running.delete(child);
      resolve();
    });
  });
  child.once("error", (cause) => {
    log += `\nspawn failed: ${String(cause)}`;
    exited = true;
  });
  const { dbname, user } = backend();
  const url = `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${encodeURIComponent(dbname)}`;
  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      await exit;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < READY_ATTEMPTS && !exited; attempt++) {
    if (await answers(url)) {
      return {
        url,
        port,
        adminUrl: `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/pgbouncer`,
        poolSize: options.poolSize,
        version,
        log: () => log,
        stop,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  await stop();
  if (exited && /address already in use|could not bind|listen/i.test(log)) return null;
  throw new Error(`PgBouncer did not answer on 127.0.0.1:${port}. Its log:\n${log}`);
}

/**
 * Starts PgBouncer (transaction pooling) in front of `DATABASE_URL` on a free
 * port of 127.0.0.1 and waits until a query goes through it. Throws when the
 * binary or the server is missing (in CI and outside it: these tests fail
 * rather than skip) or when it does not answer; its log is in the error.
 */
export async function startPgBouncer(options: PgBouncerOptions = {}): Promise<PgBouncer> {
  const binary = pgBouncerBinary();
  if (!(await serverAvailable())) {
    throw new Error(
      `PgBouncer's tests need the PostgreSQL server at ${DATABASE_URL} (PGlite cannot stand behind PgBouncer).`,
    );
  }
  const settings = { poolSize: 8, maxClientConnections: 200, ...options };
  const version = versionOf(binary);
  for (let attempt = 0; attempt < 5; attempt++) {
    const started = await startOn(binary, await freePort(), settings, version);
    if (started) return started;
  }
  throw new Error("PgBouncer could not bind a free port of 127.0.0.1 in 5 attempts");
}

/** A fresh schema reached through PgBouncer; `drop()` removes it, ends every pool and stops PgBouncer. */
export interface PgBouncerDatabase<Driver> {
  readonly schema: string;
  readonly bouncer: PgBouncer;
  /** The driver of the first pool (through PgBouncer). */
  readonly driver: Driver;
  /** Another pool through PgBouncer: another application instance. */
  newPool(): { driver: Driver; pool: pg.Pool };
  drop(): Promise<void>;
}

/**
 * Starts PgBouncer and creates a fresh schema migrated **through it** (the
 * migration is one transaction under `pg_advisory_xact_lock`, which
 * transaction pooling keeps). Each pool has `max` 8 connections (the
 * application's side), PgBouncer `options.poolSize` server connections.
 */
export async function openPgBouncerDatabase<Driver>(
  adapter: Pick<PostgresAdapter<Driver>, "pgDriver" | "migrate">,
  options: PgBouncerOptions = {},
): Promise<PgBouncerDatabase<Driver>> {
  const bouncer = await startPgBouncer(options);
  const schema = `pa_test_${randomBytes(6).toString("hex")}`;
  const pools: pg.Pool[] = [];
  const newPool = () => {
    const pool = new pg.Pool({ connectionString: bouncer.url, max: 8 });
    pools.push(pool);
    return { driver: adapter.pgDriver(pool), pool };
  };
  const first = newPool();
  try {
    await adapter.migrate(first.driver, { schema });
  } catch (cause) {
    await Promise.all(pools.map((p) => p.end()));
    await bouncer.stop();
    throw cause;
  }
  return {
    schema,
    bouncer,
    driver: first.driver,
    newPool,
    async drop() {
      try {
        await first.pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      } finally {
        await Promise.all(pools.map((p) => p.end()));
        await bouncer.stop();
      }
    },
  };
}
