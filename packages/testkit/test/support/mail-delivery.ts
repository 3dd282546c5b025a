import { randomBytes } from "node:crypto";
import { MemoryStore } from "@panel-access/adapter-memory";
import { PostgresStore } from "@panel-access/adapter-postgres";
import { createSmtpMailer, type SmtpMailer } from "@panel-access/adapter-smtp";
import {
  type Actor,
  createPanelAccess,
  type Mailer,
  type PanelAccess,
  type PanelAccessOptions,
  type StoragePort,
} from "@panel-access/core";
import { EventRecorder, ManualClock, RecordingMailer } from "@panel-access/core/testing";
import { serverOrPglite } from "@panel-access/test-support/postgres";
import { type SmtpPeer, startSmtpPeer } from "@panel-access/test-support/smtp-peer";
import { TEST_ARGON2 } from "@panel-access/testkit";
import { afterAll, afterEach, beforeAll } from "vitest";
import { testDatabase } from "./postgres.js";

/**
 * MAIL-2 delivery through the outbox, to a real SMTP server: the stores it
 * runs on, the server, and an application over both.
 */
const postgresKind = await serverOrPglite();
/** Databases made for the tests (a fresh schema each), dropped at the end. */
const databases: Awaited<ReturnType<typeof testDatabase>>[] = [];
/** The SMTP server of the test file (`useSmtpPeer`). */
export let peer: SmtpPeer;
const mailers: SmtpMailer[] = [];
let peerRunning = true;

/**
 * Starts the SMTP server before the calling file's tests; after each test it
 * accepts again (and runs again, if stopped); at the end it stops and the
 * test databases are dropped.
 */
export function useSmtpPeer(): void {
  beforeAll(async () => {
    peer = await startSmtpPeer();
  });
  afterEach(async () => {
    for (const mailer of mailers.splice(0)) mailer.close();
    peer.mode = "accept";
    peer.speak();
    if (!peerRunning) await startPeerAgain();
  });
  afterAll(async () => {
    await peer.stop();
    await Promise.all(databases.map((d) => d.drop()));
  });
}

export async function stopPeer() {
  await peer.stop();
  peerRunning = false;
}

export async function startPeerAgain() {
  await peer.start();
  peerRunning = true;
}

/** Short timeouts: a stuck server is given up on quickly. */
const SHORT_TIMEOUTS = { connection: 1000, greeting: 1000, socket: 400 };

/**
 * The adapter over the local server, with its own pool (a new connection for
 * its first message), `timeouts` short unless given (`{}`: the adapter's defaults).
 */
export function smtpMailer(
  timeouts: { connection?: number; greeting?: number; socket?: number } = SHORT_TIMEOUTS,
): SmtpMailer {
  const mailer = createSmtpMailer({
    from: "Acme Access <no-reply@acme.example>",
    smtp: { host: "127.0.0.1", port: peer.port, requireTLS: false, timeouts },
  });
  mailers.push(mailer);
  return mailer;
}

export const stores: [string, () => Promise<StoragePort>][] = [
  ["memory", async () => new MemoryStore()],
  [
    `postgres (${postgresKind})`,
    async () => {
      const database = await testDatabase(postgresKind);
      databases.push(database);
      return new PostgresStore(database.driver, { schema: database.schema });
    },
  ],
];

/** Application instances over one store, sharing a clock, events and keys. */
export interface DeliveryApp {
  readonly clock: ManualClock;
  readonly events: EventRecorder;
  /** One more instance: its own SMTP pool (or `mailer`) and mail options. */
  instance(
    mailer?: Mailer,
    own?: PanelAccessOptions["mail"],
  ): { panelAccess: PanelAccess; recorder: RecordingMailer };
}

/**
 * Application instances over one new store, sharing a clock and keys, each
 * with its own SMTP pool. `mail.awaitSending` is on unless `mail` says
 * otherwise (as in the testkit's in-memory setup: a use case answers after
 * its mail was tried); the MAIL-4 tests turn it off, as in production.
 */
export async function app(
  newStore: () => Promise<StoragePort>,
  mail: PanelAccessOptions["mail"] = {},
): Promise<DeliveryApp> {
  const store = await newStore();
  const clock = new ManualClock();
  const events = new EventRecorder();
  const options: PanelAccessOptions = {
    appUrl: "https://app.example.test",
    argon2: TEST_ARGON2,
    allowWeakHashing: true,
    twoFactor: { encryptionKeys: [{ id: "k1", key: randomBytes(32) }] },
  };
  const instance = (mailer: Mailer = smtpMailer(), own: PanelAccessOptions["mail"] = mail) => {
    const recorder = new RecordingMailer(mailer);
    return {
      panelAccess: createPanelAccess(
        { store, clock, mailer: recorder, events },
        { ...options, mail: { awaitSending: true, ...own } },
      ),
      recorder,
    };
  };
  return { clock, events, instance };
}

/** A panel and its administrator, on one instance. */
export interface DeliveryPanel {
  readonly panelAccess: PanelAccess;
  readonly panelId: string;
  readonly admin: Actor;
}

/** A panel whose administrator registered through the invitation the server received. */
export async function panel(world: DeliveryApp): Promise<DeliveryPanel> {
  const { panelAccess } = world.instance();
  const adminEmail = `admin-${randomBytes(4).toString("hex")}@acme.example`;
  const created = (
    await panelAccess.createPanel({
      actor: { type: "system" },
      name: "Acme",
      administratorEmail: adminEmail,
    })
  )._unsafeUnwrap();
  await panelAccess.settled(); // MAIL-4: the invitation is sent after the answer
  (
    await panelAccess.register({
      token: tokenIn(adminEmail),
      password: "administrator password",
    })
  )._unsafeUnwrap();
  const admin: Actor = { type: "account", accountId: created.administrator.accountId };
  return { panelAccess, panelId: created.panel.id, admin };
}

/** The token of the link in the newest message the server received for `email`. */
export function tokenIn(email: string): string {
  const text = peer.to(email).at(-1)?.parsed.text ?? "";
  return /token=([A-Za-z0-9_.-]+)/.exec(text)?.[1] ?? "";
}

/** A new, unique person's e-mail. */
export const person = () => `person-${randomBytes(4).toString("hex")}@acme.example`;

/** Adds `email` to the panel, with permanent access. */
export const invite = (p: DeliveryPanel, email: string) =>
  p.panelAccess.addMember({
    actor: p.admin,
    panelId: p.panelId,
    email,
    role: "analyst",
    access: { type: "permanent" },
  });

/** The support team, for `listMail` and `retryMail`. */
export const operator = { type: "operator", operatorId: "support" } as const;
