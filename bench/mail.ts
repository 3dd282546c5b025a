/**
 * `pnpm bench` (third part): messages per second through the outbox and its
 * dispatcher to a local SMTP server (smtp-server on 127.0.0.1, accepting and
 * discarding), side by side with bare nodemailer sending the same rendered
 * messages over the same kind of pool. Memory outbox always; Postgres outbox
 * when a server answers at DATABASE_URL.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { MemoryStore } from "@panel-access/adapter-memory";
import { migrate, PostgresStore, pgDriver } from "@panel-access/adapter-postgres";
import { composeMessage, createSmtpMailer } from "@panel-access/adapter-smtp";
import { createPanelAccess, type MailIntent, type StoragePort } from "@panel-access/core";
import { ManualClock, RecordingMailer, TEST_ARGON2 } from "@panel-access/testkit";
import nodemailer from "nodemailer";
import pg from "pg";
import { SMTPServer } from "smtp-server";

const MESSAGES = 400;
const CONNECTIONS = 4;
const ROUNDS = 3;
const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const RENDER = { from: "Bench <no-reply@bench.example>" } as const;

async function startServer(): Promise<{
  port: number;
  received: () => number;
  close: () => Promise<void>;
}> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    hideSTARTTLS: true,
    logger: false,
    closeTimeout: 50,
    maxClients: 100,
    onData(stream, _session, callback) {
      stream.on("end", () => {
        received++;
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const smtp = (port: number) => ({
  host: "127.0.0.1",
  port,
  requireTLS: false,
  maxConnections: CONNECTIONS,
});

/** Bare nodemailer: the same rendered messages, `CONNECTIONS` pooled connections, all at once. */
async function bare(
  port: number,
  intents: readonly MailIntent[],
): Promise<{ perSecond: number; cpuPerMessage: number }> {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: CONNECTIONS,
    host: "127.0.0.1",
    port,
    secure: false,
    ignoreTLS: true,
  });
  const resolved = {
    ...RENDER,
    productName: "Panel Access",
    supportContact: "x",
    timeZone: "UTC",
    locale: "en-GB",
    templates: {},
  };
  const messages = intents.map((intent, i) =>
    composeMessage(intent, { messageId: `bare${i}`, attempt: 1 }, resolved),
  );
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(messages.map((m) => transport.sendMail(m)));
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  transport.close();
  return {
    perSecond: (intents.length / ms) * 1000,
    cpuPerMessage: cpuMicros(used) / intents.length,
  };
}

/** This process's CPU time (user and system), in microseconds. */
const cpuMicros = (used: NodeJS.CpuUsage) => used.user + used.system;

/** The library: `MESSAGES` invitations queued (sendAfterCommit off), then dispatched until drained. */
async function throughOutbox(
  port: number,
  store: StoragePort,
): Promise<{ perSecond: number; cpuPerMessage: number; intents: MailIntent[] }> {
  const clock = new ManualClock();
  const smtpMailer = createSmtpMailer({ ...RENDER, smtp: smtp(port) });
  const recorder = new RecordingMailer(smtpMailer);
  const options = {
    appUrl: "https://app.bench.example",
    // Mail is measured here, not hashing: fast parameters, which PWD-1 refuses unless told.
    argon2: TEST_ARGON2,
    allowWeakHashing: true,
    twoFactor: { encryptionKeys: [{ id: "bench", key: randomBytes(32) }] },
  };
  const setup = createPanelAccess({ store, clock, mailer: recorder }, options);
  const quiet = createPanelAccess(
    { store, clock, mailer: recorder },
    { ...options, mail: { sendAfterCommit: false } },
  );
  const admin = `admin-${randomBytes(4).toString("hex")}@bench.example`;
  const created = (
    await setup.createPanel({ actor: { type: "system" }, name: "Bench", administratorEmail: admin })
  )._unsafeUnwrap();
  await setup.settled(); // MAIL-4: the invitation is sent after the answer
  const link = recorder.last(admin, "invitation")?.link ?? "";
  (
    await setup.register({
      token: new URL(link).searchParams.get("token") ?? "",
      password: "bench administrator password",
    })
  )._unsafeUnwrap();
  const actor = { type: "account", accountId: created.administrator.accountId } as const;
  for (let i = 0; i < MESSAGES; i++) {
    (
      await quiet.addMember({
        actor,
        panelId: created.panel.id,
        email: `m${i}-${randomBytes(3).toString("hex")}@bench.example`,
        role: "analyst",
        access: { type: "permanent" },
      })
    )._unsafeUnwrap();
  }
  const before = recorder.sent.length;
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (;;) {
    const report = (await quiet.dispatchMail())._unsafeUnwrap();
    if (report.sent === 0) break;
  }
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  smtpMailer.close();
  const intents = recorder.sent.slice(before);
  if (intents.length !== MESSAGES) throw new Error(`sent ${intents.length} of ${MESSAGES}`);
  return { perSecond: (MESSAGES / ms) * 1000, cpuPerMessage: cpuMicros(used) / MESSAGES, intents };
}

async function postgresStore(): Promise<{ store: StoragePort; close: () => Promise<void> } | null> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 3000 });
  try {
    await pool.query("SELECT 1");
  } catch {
    await pool.end();
    return null;
  }
  const schema = `panel_access_mail_bench_${randomBytes(4).toString("hex")}`;
  await migrate(pgDriver(pool), { schema });
  return {
    store: new PostgresStore(pgDriver(pool), { schema }),
    close: async () => {
      await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

async function main() {
  const server = await startServer();
  const f = (n: number, d = 0) => n.toFixed(d);
  console.log(
    `\nMail: ${MESSAGES} invitations to a local SMTP server (smtp-server, 127.0.0.1), ${CONNECTIONS} pooled connections, ${ROUNDS} rounds; ${new Date().toISOString()}`,
  );
  for (const kind of ["memory", "postgres"] as const) {
    const ratios: number[] = [];
    // Round 0 warms the JIT, the pools and the server up; it is not reported.
    for (let round = 0; round <= ROUNDS; round++) {
      const pgStore = kind === "postgres" ? await postgresStore() : null;
      if (kind === "postgres" && pgStore === null) {
        console.log(`10b. Postgres outbox skipped: no server at ${url}`);
        break;
      }
      const store = pgStore?.store ?? new MemoryStore();
      const outbox = await throughOutbox(server.port, store);
      const direct = await bare(server.port, outbox.intents);
      await pgStore?.close();
      if (round === 0) continue;
      ratios.push(outbox.perSecond / direct.perSecond);
      console.log(
        `  ${kind} round ${round}: outbox + dispatcher ${f(outbox.perSecond)} msg/s, bare nodemailer ${f(direct.perSecond)} msg/s, ratio ${f(outbox.perSecond / direct.perSecond, 3)}; CPU of this process per message ${f(outbox.cpuPerMessage)} µs / ${f(direct.cpuPerMessage)} µs`,
      );
    }
    if (ratios.length > 0) {
      console.log(
        `10${kind === "memory" ? "a" : "b"}. messages/s through the ${kind} outbox and dispatcher / bare nodemailer: ${ratios.map((r) => f(r, 3)).join(", ")}`,
      );
    }
  }
  console.log(`  (the server received ${server.received()} messages in all)`);
  await server.close();
}

await main();
