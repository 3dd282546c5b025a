import { MemoryStore } from "@panel-access/adapter-memory";
import type { AccountStatusView, StoragePort, StorageTx } from "@panel-access/core";
import { testTwoFactorOptions } from "@panel-access/testkit";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { openSession } from "../../support/sessions.js";
import {
  ADMIN_EMAIL,
  failLogins,
  resetTokenOf,
  type World,
  worldWithPanel,
} from "../../support/world.js";

const PERSON = "person@example.com";
const OPERATOR = { type: "operator", operatorId: "support-1" } as const;

/** Wrong passwords for `email` (the person by default), counts written. */
const failTimes = (w: World, times: number, email = PERSON) => failLogins(w, email, times);

/** Three locks in a row, with resets in between: a permanent block (LCK-5). */
async function block(w: World) {
  for (const password of ["first new passphrase", "second new passphrase"]) {
    await failTimes(w, 6);
    const token = resetTokenOf(w, PERSON);
    (await w.panelAccess.resetPassword({ token, password }))._unsafeUnwrap();
  }
  await failTimes(w, 6);
}

/** A member of Acme (permanent) whose temporary access to Globex has ended. */
async function withEndedMembership(w: World) {
  await w.member(PERSON);
  const globex = await w.otherPanel("Globex");
  const endsAt = w.clock.now().plus({ days: 1 });
  (
    await w.panelAccess.addMember({
      actor: w.admin,
      panelId: globex,
      email: PERSON,
      role: "viewer",
      access: { type: "temporary", endsAt },
    })
  )._unsafeUnwrap();
  w.clock.advance({ days: 2 });
  return { globex, endsAt };
}

/** What may change: the stores, the mail sent, the events published. */
function stateOf(w: World) {
  return { store: w.store.snapshot(), mail: w.mailer.sent.length, events: w.events.events.length };
}

/** The secrets of an account as the memory store keeps them. */
interface StoredAccount {
  readonly passwordHash: string | null;
  readonly twoFactor: { readonly sealedSecret: string } | null;
}

/** No secret, hash or token anywhere in an answer. */
function expectNoSecrets(w: World, view: AccountStatusView, tokens: readonly string[] = []) {
  const { accounts } = w.store.snapshot() as { accounts: [string, StoredAccount][] };
  const stored = accounts.find(([id]) => id === view.accountId)?.[1];
  const secrets = [stored?.passwordHash, stored?.twoFactor?.sealedSecret, ...tokens];
  const text = JSON.stringify(view);
  for (const word of ["argon2", "Hash", "secret", "Secret", ...secrets.filter(Boolean)]) {
    expect(text).not.toContain(word);
  }
}

describe("getAccountStatus", () => {
  it("LCK-5, ACC-5: getAccountStatus: support sees a blocked account's status, failures and every membership, ended ones included", async () => {
    const w = await worldWithPanel();
    const { globex, endsAt } = await withEndedMembership(w);
    w.clock.advance({ minutes: 1 });
    await block(w);
    const before = stateOf(w);

    const view = (
      await w.panelAccess.getAccountStatus({ actor: OPERATOR, email: " Person@Example.com " })
    )._unsafeUnwrap();

    expect(view).toEqual({
      accountId: expect.any(String),
      email: PERSON,
      status: "permanentlyBlocked",
      registeredAt: expect.anything(),
      lockedAt: expect.anything(),
      blockedAt: expect.anything(),
      consecutiveFailures: 6,
      consecutiveLocks: 3,
      twoFactor: "none",
      memberships: [
        {
          panelId: w.panelId,
          panelName: "Acme",
          role: "analyst",
          access: { type: "permanent" },
          live: true,
          grantedAt: expect.anything(),
        },
        {
          panelId: globex,
          panelName: "Globex",
          role: "viewer",
          access: { type: "temporary", endsAt },
          live: false,
          grantedAt: expect.anything(),
        },
      ],
    });
    expect(view.blockedAt?.toISO()).toBe(w.clock.now().toISO());
    expectNoSecrets(w, view);
    expect(stateOf(w)).toEqual(before);
  });

  it("LCK-1: support sees a lock and the failures that led to it; an unlocked account has no lock times", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    await failTimes(w, 2);
    const counting = (
      await w.panelAccess.getAccountStatus({ actor: OPERATOR, email: PERSON })
    )._unsafeUnwrap();
    expect(counting).toMatchObject({ status: "active", consecutiveFailures: 2 });
    expect(counting).not.toHaveProperty("lockedAt");
    expect(counting).not.toHaveProperty("blockedAt");

    await failTimes(w, 4);
    const locked = (
      await w.panelAccess.getAccountStatus({ actor: OPERATOR, email: PERSON })
    )._unsafeUnwrap();
    expect(locked).toMatchObject({ status: "locked", consecutiveFailures: 6, consecutiveLocks: 1 });
    expect(locked.lockedAt?.toISO()).toBe(w.clock.now().toISO());
    expect(locked).not.toHaveProperty("blockedAt");
  });

  it("ACC-1, TFA-1, TFA-2: support sees unregistered accounts and the 2FA state (none, pending, enrolled), never the secret", async () => {
    const w = await worldWithPanel();
    await w.invite("invitee@example.com");
    await w.member("member@example.com");
    await w.member("pending@example.com");
    const setup = await w.passwordStep("pending@example.com");
    expect(setup.next).toBe("secondFactorSetup");
    const { session } = await w.enrolled("enrolled@example.com");

    const status = async (email: string) =>
      (await w.panelAccess.getAccountStatus({ actor: OPERATOR, email }))._unsafeUnwrap();
    const invitee = await status("invitee@example.com");
    expect(invitee).toMatchObject({
      status: "unregistered",
      registeredAt: null,
      twoFactor: "none",
      consecutiveFailures: 0,
    });
    expect((await status("member@example.com")).twoFactor).toBe("none");
    expect((await status("pending@example.com")).twoFactor).toBe("pending");
    const enrolled = await status("enrolled@example.com");
    expect(enrolled.twoFactor).toBe("enrolled");
    expectNoSecrets(w, enrolled, [session.sessionToken]);
  });

  it("ACC-5: getAccountStatus({ actor, email }) is FORBIDDEN to an administrator, the system and any account, before the e-mail is looked up", async () => {
    const w = await worldWithPanel();
    const person = await w.member(PERSON);
    const before = stateOf(w);
    for (const actor of [w.admin, person, { type: "system" } as const]) {
      for (const email of [PERSON, ADMIN_EMAIL, "nobody@example.com"]) {
        expect(await w.panelAccess.getAccountStatus({ actor, email })).toEqual(
          err({ type: "FORBIDDEN" }),
        );
      }
    }
    expect(stateOf(w)).toEqual(before);
  });

  it("support: an e-mail without an account is ACCOUNT_NOT_FOUND", async () => {
    const w = await worldWithPanel();
    expect(
      await w.panelAccess.getAccountStatus({ actor: OPERATOR, email: "nobody@example.com" }),
    ).toEqual(err({ type: "ACCOUNT_NOT_FOUND" }));
  });

  it("SES-1: a person reads their own status through a session; another's e-mail cannot be asked", async () => {
    const w = await worldWithPanel();
    const { globex, endsAt } = await withEndedMembership(w);
    await failTimes(w, 2);
    const { sessionToken } = await openSession(w, PERSON);
    await failTimes(w, 1); // after the login: support sees it, the person does not
    w.clock.advance({ minutes: 1 }); // a touch would now move the session's last use
    const before = stateOf(w);

    const own = (await w.panelAccess.getAccountStatus({ sessionToken }))._unsafeUnwrap();
    expect(own).toEqual({
      accountId: expect.any(String),
      email: PERSON,
      status: "active",
      registeredAt: expect.anything(),
      twoFactor: "enrolled",
      memberships: [
        expect.objectContaining({ panelId: w.panelId, panelName: "Acme", live: true }),
        expect.objectContaining({
          panelId: globex,
          panelName: "Globex",
          access: { type: "temporary", endsAt },
          live: false,
        }),
      ],
    });
    for (const supportOnly of ["consecutiveFailures", "consecutiveLocks", "lockedAt", "blockedAt"])
      expect(own).not.toHaveProperty(supportOnly);
    expectNoSecrets(w, own, [sessionToken]);
    const support = (
      await w.panelAccess.getAccountStatus({ actor: OPERATOR, email: PERSON })
    )._unsafeUnwrap();
    expect(support.consecutiveFailures).toBe(1);
    expect(support.memberships).toEqual(own.memberships);

    // A session reads its own account only: naming another (or an actor) is bad input.
    for (const input of [
      { sessionToken, email: ADMIN_EMAIL },
      { sessionToken, actor: OPERATOR, email: ADMIN_EMAIL },
      { sessionToken, actor: OPERATOR },
    ]) {
      const refused = (
        await w.panelAccess.getAccountStatus(input as unknown as { sessionToken: string })
      )._unsafeUnwrapErr();
      expect(refused.type).toBe("INVALID_INPUT");
      const named = refused.type === "INVALID_INPUT" ? refused.issues.map((i) => i.path[0]) : [];
      expect(named.sort()).toEqual(
        Object.keys(input)
          .filter((key) => key !== "sessionToken")
          .sort(),
      );
    }
    // Reading changes nothing, not even the session's last use (its idle expiry).
    expect(stateOf(w)).toEqual(before);
  });

  it("TFA-9: an SSO session reads the same answer as a local one", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const sso = (
      await w.panelAccess.createPanel({
        actor: { type: "system" },
        name: "Initech",
        administratorEmail: ADMIN_EMAIL,
        settings: { ssoEnabled: true },
      })
    )._unsafeUnwrap().panel.id;
    (
      await w.panelAccess.addMember({
        actor: w.admin,
        panelId: sso,
        email: PERSON,
        role: "analyst",
        access: { type: "permanent" },
      })
    )._unsafeUnwrap();
    const viaSso = (
      await w.panelAccess.openSsoSession({ email: PERSON, panelId: sso })
    )._unsafeUnwrap();
    const local = await openSession(w, PERSON);
    const ssoView = (
      await w.panelAccess.getAccountStatus({ sessionToken: viaSso.sessionToken })
    )._unsafeUnwrap();
    const localView = (
      await w.panelAccess.getAccountStatus({ sessionToken: local.sessionToken })
    )._unsafeUnwrap();
    expect(ssoView).toEqual(localView);
    expect(ssoView.memberships.map((m) => m.panelName)).toEqual(["Acme", "Initech"]);
  });

  it("SES-1, SES-2: a session that does not work is SESSION_INVALID: unknown, logged out, idle, or its account locked", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const invalid = err({ type: "SESSION_INVALID" });
    expect(
      await w.panelAccess.getAccountStatus({ sessionToken: `${"A".repeat(22)}.${"B".repeat(43)}` }),
    ).toEqual(invalid);

    const loggedOut = await openSession(w, PERSON);
    (await w.panelAccess.logout({ sessionToken: loggedOut.sessionToken }))._unsafeUnwrap();
    expect(await w.panelAccess.getAccountStatus({ sessionToken: loggedOut.sessionToken })).toEqual(
      invalid,
    );

    const idle = await openSession(w, PERSON);
    w.clock.advance(w.panelAccess.options.sessions.idleTimeout);
    expect(await w.panelAccess.getAccountStatus({ sessionToken: idle.sessionToken })).toEqual(
      invalid,
    );

    const locked = await openSession(w, PERSON);
    await failTimes(w, 6);
    expect(await w.panelAccess.getAccountStatus({ sessionToken: locked.sessionToken })).toEqual(
      invalid,
    );
  });

  it("INP-1: bad input in either shape is INVALID_INPUT naming the field", async () => {
    const w = await worldWithPanel();
    const cases: [unknown, string][] = [
      [{ sessionToken: "not a token" }, "sessionToken"],
      [{ sessionToken: `${"A".repeat(22)}\u0000.${"B".repeat(42)}` }, "sessionToken"],
      [{ actor: OPERATOR, email: "no-at-sign" }, "email"],
      [{ actor: { type: "operator", operatorId: "a\u0000b" }, email: PERSON }, "actor"],
      [{}, "actor"],
    ];
    for (const [input, field] of cases) {
      const result = await w.panelAccess.getAccountStatus(input as { sessionToken: string });
      const error = result._unsafeUnwrapErr();
      expect(error.type, JSON.stringify(input)).toBe("INVALID_INPUT");
      expect(error.type === "INVALID_INPUT" && error.issues.map((i) => i.path[0])).toContain(field);
    }
  });

  it("a storage failure is STORAGE_FAILED", async () => {
    const memory = new MemoryStore();
    const w = await worldWithPanel({ store: memory });
    const failing: StoragePort = {
      transact: (scope, work) =>
        memory.transact(scope, (tx) =>
          work(
            new Proxy(tx, {
              get: (target, property: keyof StorageTx) =>
                property === "findAccountWithMemberships"
                  ? () => Promise.reject(new Error("connection lost"))
                  : typeof target[property] === "function"
                    ? (target[property] as (...a: unknown[]) => unknown).bind(target)
                    : target[property],
            }),
          ),
        ),
    };
    const { createPanelAccess } = await import("@panel-access/core");
    const panelAccess = createPanelAccess(
      { store: failing, clock: w.clock, mailer: w.mailer, events: w.events },
      { appUrl: "https://app.example.test", twoFactor: testTwoFactorOptions() },
    );
    expect(
      (
        await panelAccess.getAccountStatus({ actor: OPERATOR, email: ADMIN_EMAIL })
      )._unsafeUnwrapErr(),
    ).toMatchObject({ type: "STORAGE_FAILED", cause: new Error("connection lost") });
  });
});
