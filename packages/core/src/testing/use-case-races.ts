import { randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import { URI } from "otpauth";
import { expect, it } from "vitest";
import { createArgon2idHasher } from "../defaults/argon2id-hasher.js";
import type { Actor } from "../domain/actor.js";
import type { DomainEvent } from "../domain/events.js";
import type { MailIntent } from "../domain/mail.js";
import { createPanelAccess } from "../panel-access.js";
import type { MailEnvelope } from "../ports/mailer.js";
import type { PasswordHasher } from "../ports/password-hasher.js";
import type { StoragePort } from "../ports/storage.js";
import { uniqueId } from "./records.js";

const PASSWORD = "contract password";

/** One library instance per store, all over one database, as application servers would be. */
function instancesOver(stores: readonly StoragePort[], passwordHasher?: PasswordHasher) {
  let now = DateTime.fromISO("2026-02-02T10:00:00.000Z", { zone: "utc" });
  const mail: MailIntent[] = [];
  /** The outbox id of each message sent, in the order of `mail`. */
  const messageIds: string[] = [];
  const mailServer = { down: false };
  const events: DomainEvent[] = [];
  const ports = {
    clock: { now: () => now },
    mailer: {
      send: async (m: MailIntent, envelope: MailEnvelope) => {
        if (mailServer.down) throw Object.assign(new Error("down"), { code: "ECONNECTION" });
        mail.push(m);
        messageIds.push(envelope.messageId);
      },
    },
    events: { publish: (e: DomainEvent) => void events.push(e) },
    ...(passwordHasher && { passwordHasher }),
  };
  // Real argon2id at a cost fit for a test about races rather than hashing.
  const options = {
    appUrl: "https://app.example.test",
    argon2: { memoryCost: 1024, timeCost: 1 },
    allowWeakHashing: true,
    // These races are about the store's locks across instances: every request must reach
    // the store (LCK-7 v2's in-process queue still runs them one at a time per instance),
    // and throttling (LCK-9, tested on its own) must not refuse any.
    maxQueuedPerAccount: 1000,
    throttle: { enabled: false },
    twoFactor: { encryptionKeys: [{ id: "contract", key: randomBytes(32) }] },
  };
  const all = stores.map((store) => createPanelAccess({ store, ...ports }, options));
  /** Spreads callers over the instances. */
  const instance = (i: number) => {
    const chosen = all[i % all.length];
    if (chosen === undefined) throw new Error("no store");
    return chosen;
  };
  const tokenFor = (email: string) =>
    mail
      .filter((m) => m.kind === "invitation" && m.to === email)
      .map((m) =>
        m.kind === "invitation" ? (new URL(m.link).searchParams.get("token") ?? "") : "",
      );
  /** Moves the shared clock (a new TOTP step every 30 s). */
  const advance = (seconds: number) => {
    now = now.plus({ seconds });
  };
  const clockNow = () => now;
  /** Waits for every instance's background deliveries. */
  const settled = () => Promise.all(all.map((a) => a.settled()));
  return { instance, mail, messageIds, mailServer, events, tokenFor, advance, clockNow, settled };
}

/** A new panel with its administrator, and a person just invited to it (an invitation e-mailed). */
async function invitedMember(world: ReturnType<typeof instancesOver>) {
  const { panelId, admin } = await panelWithAdministrator(world);
  const email = `${uniqueId("p").toLowerCase()}@example.com`;
  const access = { type: "permanent" } as const;
  (
    await world.instance(0).addMember({ actor: admin, panelId, email, role: "analyst", access })
  )._unsafeUnwrap();
  return { panelId, admin, email };
}

/** A registered member of a new panel who has set up 2FA; the clock is moved to a fresh step. */
async function enrolledMember(world: ReturnType<typeof instancesOver>) {
  const { email } = await invitedMember(world);
  const first = world.instance(0);
  (
    await first.register({ token: world.tokenFor(email).at(-1) ?? "", password: PASSWORD })
  )._unsafeUnwrap();
  const step = (await first.login({ email, password: PASSWORD }))._unsafeUnwrap();
  if (step.next !== "secondFactorSetup") throw new Error(`expected a setup, got ${step.next}`);
  const app = URI.parse(step.setup.uri);
  const code = () => app.generate({ timestamp: world.clockNow().toMillis() });
  const setup = await first.completeTwoFactorSetup({ challenge: step.challenge, code: code() });
  world.advance(30);
  return { email, code, backupCodes: setup._unsafeUnwrap().backupCodes };
}

/** `count` password steps of an enrolled member: one challenge each. */
async function challenges(world: ReturnType<typeof instancesOver>, email: string, count: number) {
  const steps = await Promise.all(
    Array.from({ length: count }, (_, i) => world.instance(i).login({ email, password: PASSWORD })),
  );
  return steps.map((s) => {
    const step = s._unsafeUnwrap();
    if (step.next !== "secondFactor") throw new Error(`expected a second factor, got ${step.next}`);
    return step.challenge;
  });
}

/** A panel whose administrator has registered, and the administrator as actor. */
async function panelWithAdministrator(world: ReturnType<typeof instancesOver>) {
  const first = world.instance(0);
  const adminEmail = `${uniqueId("admin").toLowerCase()}@example.com`;
  const created = (
    await first.createPanel({
      actor: { type: "system" },
      name: "Race panel",
      administratorEmail: adminEmail,
    })
  )._unsafeUnwrap();
  const token = world.tokenFor(adminEmail).at(-1) ?? "";
  (await first.register({ token, password: PASSWORD }))._unsafeUnwrap();
  const admin: Actor = { type: "account", accountId: created.administrator.accountId };
  return { panelId: created.panel.id, admin };
}

/** Use cases raced through the store: what the port's guarantees buy. */
export function runUseCaseRaces(
  stores: () => Promise<[StoragePort, ...StoragePort[]]>,
  parallel: number,
): void {
  it(`ACC-8: one invitation link submitted ${parallel} times at once registers the account exactly once`, async () => {
    const world = instancesOver(await stores());
    const { admin, email } = await invitedMember(world);
    const token = world.tokenFor(email).at(-1) ?? "";
    const results = await Promise.all(
      Array.from({ length: parallel }, (_, i) =>
        world.instance(i).register({ token, password: PASSWORD }),
      ),
    );
    expect(results.filter((r) => r.isOk())).toHaveLength(1);
    const refusals = new Set(results.flatMap((r) => (r.isErr() ? [r.error.type] : [])));
    expect([...refusals]).toEqual(["INVITATION_USED"]);
    const registered = world.events.filter(
      (e) => e.type === "account.registered" && e.accountId !== admin.accountId,
    );
    expect(registered).toHaveLength(1);
  });

  it("ACC-4: 20 resends at once leave exactly one working link, the latest", async () => {
    const world = instancesOver(await stores());
    const { panelId, admin, email } = await invitedMember(world);
    const resends = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        world.instance(i).resendInvitation({ actor: admin, panelId, email }),
      ),
    );
    expect(resends.every((r) => r.isOk())).toBe(true);
    const tokens = world.tokenFor(email);
    expect(tokens).toHaveLength(21);
    const states = await Promise.all(
      tokens.map((token) => world.instance(0).inspectInvitation({ token })),
    );
    expect(states.filter((s) => s.isOk())).toHaveLength(1);
    expect(
      states.filter((s) => s.isErr() && s.error.type === "INVITATION_SUPERSEDED"),
    ).toHaveLength(20);
  });

  it("ACC-1: 20 additions of one new e-mail at once create exactly one account", async () => {
    const world = instancesOver(await stores());
    const { panelId, admin } = await panelWithAdministrator(world);
    const email = `${uniqueId("p").toLowerCase()}@example.com`;
    const access = { type: "permanent" } as const;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        world.instance(i).addMember({ actor: admin, panelId, email, role: "analyst", access }),
      ),
    );
    expect(results.every((r) => r.isOk())).toBe(true);
    expect(new Set(results.map((r) => r._unsafeUnwrap().accountId)).size).toBe(1);
    const created = world.events.filter((e) => e.type === "account.created");
    expect(
      created.filter((e) => e.type === "account.created" && e.accountId !== admin.accountId),
    ).toHaveLength(1);
  });

  it("LCK-7: 100 parallel wrong passwords lose no count, lock exactly once and check at most 6 guesses", async () => {
    const inner = createArgon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
    const checkedHashes: string[] = [];
    const counting: PasswordHasher = {
      hash: (password) => inner.hash(password),
      verify: (hash, password) => {
        checkedHashes.push(hash);
        return inner.verify(hash, password);
      },
    };
    const all = await stores();
    const [store] = all;
    const world = instancesOver(all, counting);
    const { email } = await invitedMember(world);
    (
      await world
        .instance(0)
        .register({ token: world.tokenFor(email).at(-1) ?? "", password: PASSWORD })
    )._unsafeUnwrap();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        world.instance(i).login({ email, password: `wrong guess ${i}` }),
      ),
    );
    await world.settled();
    expect(results.every((r) => r.isErr() && r.error.type === "LOGIN_FAILED")).toBe(true);
    const account = await store.transact({}, (tx) => tx.findAccountByEmail(email));
    expect(account?.lockout).toMatchObject({
      consecutiveFailures: 6,
      consecutiveLocks: 1,
      blockedAt: null,
    });
    expect(account?.lockout.lockedAt).not.toBeNull();
    expect(checkedHashes.filter((h) => h === account?.passwordHash)).toHaveLength(6);
    expect(checkedHashes).toHaveLength(100);
    expect(world.events.filter((e) => e.type === "account.locked")).toHaveLength(1);
    expect(world.mail.filter((m) => m.kind === "accountLocked" && m.to === email)).toHaveLength(1);
    const failures = world.events.filter((e) => e.type === "login.failed" && e.email === email);
    expect(failures).toHaveLength(100);
  });

  it(`TFA-10: one TOTP code submitted on ${parallel} challenges at once is accepted exactly once`, async () => {
    const world = instancesOver(await stores());
    const { email, code } = await enrolledMember(world);
    const open = await challenges(world, email, parallel);
    const current = code();
    const results = await Promise.all(
      open.map((challenge, i) =>
        world.instance(i).verifySecondFactor({ challenge, code: current }),
      ),
    );
    await world.settled();
    expect(results.filter((r) => r.isOk())).toHaveLength(1);
    expect(results.every((r) => r.isOk() || r.error.type === "LOGIN_FAILED")).toBe(true);
  });

  it(`TFA-12: one challenge submitted ${parallel} times at once completes one login`, async () => {
    const world = instancesOver(await stores());
    const { email, code } = await enrolledMember(world);
    const [challenge = ""] = await challenges(world, email, 1);
    const current = code();
    const results = await Promise.all(
      Array.from({ length: parallel }, (_, i) =>
        world.instance(i).verifySecondFactor({ challenge, code: current }),
      ),
    );
    expect(results.filter((r) => r.isOk())).toHaveLength(1);
    const completed = world.events.filter(
      (e) => e.type === "login.completed" && e.method === "local",
    );
    expect(completed).toHaveLength(2); // the setup's login and this one
  });

  it(`TFA-5: one backup code submitted on ${parallel} challenges at once is accepted exactly once`, async () => {
    const world = instancesOver(await stores());
    const { email, backupCodes } = await enrolledMember(world);
    const open = await challenges(world, email, parallel);
    const code = backupCodes[0] ?? "";
    const results = await Promise.all(
      open.map((challenge, i) => world.instance(i).verifySecondFactor({ challenge, code })),
    );
    await world.settled();
    expect(results.filter((r) => r.isOk())).toHaveLength(1);
    const used = world.events.filter((e) => e.type === "backupCode.used");
    expect(used).toEqual([expect.objectContaining({ remaining: backupCodes.length - 1 })]);
  });

  it(`MAIL-2: ${parallel} dispatchers at once on every instance send each of 30 queued messages exactly once`, async () => {
    const world = instancesOver(await stores());
    const { panelId, admin } = await panelWithAdministrator(world);
    world.mailServer.down = true;
    const emails = Array.from({ length: 30 }, () => `${uniqueId("q").toLowerCase()}@example.com`);
    for (const email of emails) {
      const added = await world.instance(0).addMember({
        actor: admin,
        panelId,
        email,
        role: "analyst",
        access: { type: "permanent" },
      });
      expect(added.isOk()).toBe(true);
    }
    const failures = world.events.filter((e) => e.type === "mail.failed");
    expect(failures).toHaveLength(30);
    world.mailServer.down = false;
    world.advance(60); // the first retry is due a minute later
    const sentBefore = world.mail.length;
    const reports = await Promise.all(
      Array.from({ length: parallel }, (_, i) => world.instance(i).dispatchMail()),
    );
    const sentNow = world.mail.slice(sentBefore);
    expect(sentNow.map((m) => m.to).sort()).toEqual([...emails].sort());
    expect(new Set(world.messageIds.slice(sentBefore)).size).toBe(30);
    expect(reports.reduce((sum, r) => sum + r._unsafeUnwrap().sent, 0)).toBe(30);
    const again = await world.instance(1).dispatchMail();
    expect(again._unsafeUnwrap()).toEqual({ sent: 0, retrying: 0, failed: 0 });
  });
}
