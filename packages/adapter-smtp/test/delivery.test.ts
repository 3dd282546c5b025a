import { randomBytes } from "node:crypto";
import {
  EventRecorder,
  ManualClock,
  MemoryStore,
  RecordingMailer,
  TEST_ARGON2,
} from "@panel-access/adapter-memory";
import { PostgresStore } from "@panel-access/adapter-postgres";
import {
  type Actor,
  createPanelAccess,
  type Mailer,
  type PanelAccessOptions,
  type StoragePort,
} from "@panel-access/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { serverOrPglite, testDatabase } from "../../adapter-postgres/test/database.js";
import { createSmtpMailer, type SmtpMailer } from "../src/index.js";
import { type SmtpPeer, startSmtpPeer } from "./smtp-peer.js";

const postgresKind = await serverOrPglite();
/** Databases made for the tests (a fresh schema each), dropped at the end. */
const databases: Awaited<ReturnType<typeof testDatabase>>[] = [];
let peer: SmtpPeer;
const mailers: SmtpMailer[] = [];
beforeAll(async () => {
  peer = await startSmtpPeer();
});
afterEach(async () => {
  for (const mailer of mailers.splice(0)) mailer.close();
  peer.mode = "accept";
  if (!peerRunning) await startPeerAgain();
});
afterAll(async () => {
  await peer.stop();
  await Promise.all(databases.map((d) => d.drop()));
});
let peerRunning = true;
async function stopPeer() {
  await peer.stop();
  peerRunning = false;
}
async function startPeerAgain() {
  await peer.start();
  peerRunning = true;
}

/** The adapter over the local server, with short timeouts (a stuck server is given up on quickly). */
function smtpMailer(): SmtpMailer {
  const mailer = createSmtpMailer({
    from: "Acme Access <no-reply@acme.example>",
    smtp: {
      host: "127.0.0.1",
      port: peer.port,
      requireTLS: false,
      timeouts: { connection: 1000, greeting: 1000, socket: 400 },
    },
  });
  mailers.push(mailer);
  return mailer;
}

const stores: [string, () => Promise<StoragePort>][] = [
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

describe.each(stores)(
  "MAIL-2 delivery through the outbox on %s, to a real SMTP server",
  (_, newStore) => {
    /** Application instances over one store, sharing a clock and keys, each with its own SMTP pool. */
    async function app(mail: PanelAccessOptions["mail"] = {}) {
      const store = await newStore();
      const clock = new ManualClock();
      const events = new EventRecorder();
      const options: PanelAccessOptions = {
        appUrl: "https://app.example.test",
        argon2: TEST_ARGON2,
        allowWeakHashing: true,
        twoFactor: { encryptionKeys: [{ id: "k1", key: randomBytes(32) }] },
        mail,
      };
      const instance = (mailer: Mailer = smtpMailer(), own: PanelAccessOptions["mail"] = mail) => {
        const recorder = new RecordingMailer(mailer);
        return {
          panelAccess: createPanelAccess(
            { store, clock, mailer: recorder, events },
            { ...options, mail: own },
          ),
          recorder,
        };
      };
      return { clock, events, instance };
    }

    /** A panel whose administrator registered through the invitation the server received. */
    async function panel(world: Awaited<ReturnType<typeof app>>) {
      const { panelAccess } = world.instance();
      const adminEmail = `admin-${randomBytes(4).toString("hex")}@acme.example`;
      const created = (
        await panelAccess.createPanel({
          actor: { type: "system" },
          name: "Acme",
          administratorEmail: adminEmail,
        })
      )._unsafeUnwrap();
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
    function tokenIn(email: string): string {
      const text = peer.to(email).at(-1)?.parsed.text ?? "";
      return /token=([A-Za-z0-9_.-]+)/.exec(text)?.[1] ?? "";
    }

    const person = () => `person-${randomBytes(4).toString("hex")}@acme.example`;
    const invite = (p: Awaited<ReturnType<typeof panel>>, email: string) =>
      p.panelAccess.addMember({
        actor: p.admin,
        panelId: p.panelId,
        email,
        role: "analyst",
        access: { type: "permanent" },
      });

    it("MAIL-2: the server refuses (451, then 550): the member is added, the invitation waits and arrives exactly once", async () => {
      const world = await app();
      const p = await panel(world);
      const email = person();
      peer.mode = "refuse";
      expect((await invite(p, email))._unsafeUnwrap().notice).toBe("invitation");
      expect(peer.to(email)).toEqual([]);
      const [failure] = world.events.ofType("mail.failed");
      expect(failure).toMatchObject({ kind: "invitation", attempts: 1, reason: "EENVELOPE 451" });
      expect(failure?.retryAt?.toMillis()).toBe(world.clock.now().plus({ minutes: 1 }).toMillis());
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(0); // not due yet
      world.clock.advance({ minutes: 1 });
      peer.mode = "refuse550";
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap()).toEqual({
        sent: 0,
        retrying: 1,
        failed: 0,
      });
      world.clock.advance({ minutes: 2 });
      peer.mode = "accept";
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap()).toEqual({
        sent: 1,
        retrying: 0,
        failed: 0,
      });
      world.clock.advance({ hours: 2 });
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(0);
      expect(peer.to(email)).toHaveLength(1);
      const registered = await p.panelAccess.register({
        token: tokenIn(email),
        password: "a long new password",
      });
      expect(registered.isOk()).toBe(true);
    });

    it("MAIL-2: the server is down (connection refused): the reset link is kept and its mail arrives once the server is back", async () => {
      const world = await app();
      const p = await panel(world);
      const email = person();
      (await invite(p, email))._unsafeUnwrap();
      (
        await p.panelAccess.register({ token: tokenIn(email), password: "a long first password" })
      )._unsafeUnwrap();
      await stopPeer();
      expect((await p.panelAccess.forgotPassword({ email })).isOk()).toBe(true);
      await p.panelAccess.settled();
      expect(world.events.ofType("mail.failed")).toEqual([
        expect.objectContaining({
          kind: "passwordReset",
          reason: expect.stringMatching(/^(ECONNECTION|ESOCKET)/),
        }),
      ]);
      await startPeerAgain();
      world.clock.advance({ minutes: 1 });
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(1);
      expect(peer.to(email).map((r) => r.parsed.subject)).toEqual([
        "You are invited to Acme",
        "Reset your Panel Access password",
      ]);
      const reset = await p.panelAccess.resetPassword({
        token: tokenIn(email),
        password: "a long second password",
      });
      expect(reset.isOk()).toBe(true);
    });

    it("MAIL-2: the server hangs (the client times out): the message stays pending and is sent exactly once later", async () => {
      const world = await app();
      const p = await panel(world);
      const email = person();
      peer.mode = "hang";
      expect((await invite(p, email)).isOk()).toBe(true);
      expect(world.events.ofType("mail.failed")).toEqual([
        expect.objectContaining({
          kind: "invitation",
          reason: expect.stringMatching(/^ETIMEDOUT/),
        }),
      ]);
      peer.mode = "accept";
      world.clock.advance({ minutes: 1 });
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(1);
      world.clock.advance({ hours: 1 });
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(0);
      expect(peer.to(email)).toHaveLength(1);
    });

    it("MAIL-2: an instance that dies before or while sending loses nothing: another sends each message once", async () => {
      const world = await app();
      const p = await panel(world);
      const first = person();
      const second = person();
      // Instance A commits the first invitation and dies before sending it.
      const a = world.instance(smtpMailer(), { sendAfterCommit: false }).panelAccess;
      (await invite({ ...p, panelAccess: a }, first))._unsafeUnwrap();
      // The second invitation's first attempt fails: it waits for a retry.
      peer.mode = "refuse";
      (await invite(p, second))._unsafeUnwrap();
      peer.mode = "accept";
      world.clock.advance({ minutes: 1 });
      // Instance C claims both and dies while sending: its mailer never answers.
      let handedOver = 0;
      let bothHandedOver = () => {};
      const dying = new Promise<void>((resolve) => {
        bothHandedOver = resolve;
      });
      const stuck: Mailer = {
        send: () => {
          handedOver += 1;
          if (handedOver === 2) bothHandedOver();
          return new Promise<void>(() => {});
        },
      };
      void world.instance(stuck).panelAccess.dispatchMail();
      await dying;
      const b = world.instance().panelAccess;
      expect((await b.dispatchMail())._unsafeUnwrap().sent).toBe(0); // still held by C's claim
      world.clock.advance({ minutes: 10 }); // C's claim runs out (mail.claimFor)
      expect((await b.dispatchMail())._unsafeUnwrap().sent).toBe(2);
      expect((await b.dispatchMail())._unsafeUnwrap().sent).toBe(0);
      expect(peer.to(first)).toHaveLength(1);
      expect(peer.to(second)).toHaveLength(1);
    });

    it("MAIL-2: after the last attempt a message is failed, listed for support, and retryMail sends it exactly once", async () => {
      const world = await app({ maxAttempts: 2 });
      const p = await panel(world);
      const email = person();
      await stopPeer();
      (await invite(p, email))._unsafeUnwrap();
      world.clock.advance({ minutes: 1 });
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap()).toEqual({
        sent: 0,
        retrying: 0,
        failed: 1,
      });
      expect(world.events.ofType("mail.failed").map((e) => e.retryAt)).toEqual([
        expect.anything(),
        null,
      ]);
      const operator: Actor = { type: "operator", operatorId: "support" };
      const failed = (await p.panelAccess.listMail({ actor: operator }))._unsafeUnwrap();
      expect(failed).toEqual([
        expect.objectContaining({
          kind: "invitation",
          status: "failed",
          attempts: 2,
          lastError: expect.stringMatching(/^(ECONNECTION|ESOCKET)/),
        }),
      ]);
      expect(JSON.stringify(failed)).not.toContain("token");
      expect((await p.panelAccess.listMail({ actor: p.admin }))._unsafeUnwrapErr().type).toBe(
        "FORBIDDEN",
      );
      world.clock.advance({ days: 1 });
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(0); // failed stays failed
      await startPeerAgain();
      const messageId = failed[0]?.messageId ?? "";
      expect((await p.panelAccess.retryMail({ actor: operator, messageId })).isOk()).toBe(true);
      expect(
        (await p.panelAccess.retryMail({ actor: operator, messageId }))._unsafeUnwrapErr().type,
      ).toBe("MAIL_NOT_FAILED");
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(1);
      expect(peer.to(email)).toHaveLength(1);
      expect(peer.to(email)[0]?.parsed.messageId).toBe(`<${messageId}@acme.example>`);
      expect(
        (
          await p.panelAccess.register({ token: tokenIn(email), password: "a long new password" })
        ).isOk(),
      ).toBe(true);
    });
  },
);
