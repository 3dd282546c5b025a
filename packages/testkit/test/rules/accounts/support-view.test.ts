import { MemoryStore } from "@panel-access/adapter-memory";
import type { StoragePort, StorageTx } from "@panel-access/core";
import { testTwoFactorOptions } from "@panel-access/testkit";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import {
  expectNoSecrets,
  OPERATOR,
  PERSON,
  withEndedMembership,
} from "../../support/account-status.js";
import {
  ADMIN_EMAIL,
  failLogins,
  resetTokenOf,
  stateOf,
  type World,
  worldWithPanel,
} from "../../support/world.js";

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
