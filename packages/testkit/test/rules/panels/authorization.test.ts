import type { Actor } from "@panel-access/core";
import { describe, expect, it } from "vitest";
import { type World, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";

/** Every administrative call, aimed at PERSON in the world's panel. */
function administrativeCalls(w: World, actor: Actor) {
  const panelId = w.panelId;
  const access = { type: "permanent" } as const;
  return {
    addMember: () =>
      w.panelAccess.addMember({
        actor,
        panelId,
        email: "new@example.com",
        role: "analyst",
        access,
      }),
    resendInvitation: () => w.panelAccess.resendInvitation({ actor, panelId, email: PERSON }),
    changeAccess: () =>
      w.panelAccess.changeAccess({ actor, panelId, email: PERSON, role: "editor" }),
    reinviteMember: () =>
      w.panelAccess.reinviteMember({ actor, panelId, email: PERSON, role: "analyst", access }),
    removeMember: () => w.panelAccess.removeMember({ actor, panelId, email: PERSON }),
    listMembers: () => w.panelAccess.listMembers({ actor, panelId }),
  };
}

async function nonAdministrators(w: World): Promise<Record<string, Actor>> {
  const member = await w.member("member@example.com", "analyst");
  const globex = await w.otherPanel();
  const elsewhere = (
    await w.panelAccess.addMember({
      actor: w.admin,
      panelId: globex,
      email: "boss@example.com",
      role: "administrator",
      access: { type: "permanent" },
    })
  )._unsafeUnwrap();
  const endsAt = w.clock.now().plus({ hours: 1 });
  const formerAdmin = await w.member("former@example.com", "administrator");
  (
    await w.panelAccess.changeAccess({
      actor: w.admin,
      panelId: w.panelId,
      email: "former@example.com",
      access: { type: "temporary", endsAt: endsAt.toISO() ?? "" },
    })
  )._unsafeUnwrap();
  const invitedAdmin = (
    await w.panelAccess.addMember({
      actor: w.admin,
      panelId: w.panelId,
      email: "invited-admin@example.com",
      role: "administrator",
      access: { type: "permanent" },
    })
  )._unsafeUnwrap();
  w.clock.set(endsAt);
  return {
    "a member with another role": member,
    "an administrator of another panel": { type: "account", accountId: elsewhere.accountId },
    "an administrator whose access ended": formerAdmin,
    "an administrator who has not registered": {
      type: "account",
      accountId: invitedAdmin.accountId,
    },
    "an unknown account": { type: "account", accountId: "no-such-account" },
    "the support team": { type: "operator", operatorId: "support-1" },
    "the system": { type: "system" },
  };
}

describe("ACC-5: only an administrator of the panel administers it", () => {
  it("ACC-5: every administrative use case refuses every non-administrator with FORBIDDEN and changes nothing", async () => {
    const w = await worldWithPanel();
    await w.invite(PERSON);
    const actors = await nonAdministrators(w);
    const before = w.store.snapshot();
    const mailBefore = w.mailer.sent.length;
    for (const [who, actor] of Object.entries(actors)) {
      for (const [name, call] of Object.entries(administrativeCalls(w, actor))) {
        const result = await call();
        expect(result.isErr() && result.error.type, `${name} by ${who}`).toBe("FORBIDDEN");
      }
    }
    expect(w.store.snapshot()).toEqual(before);
    expect(w.mailer.sent.length).toBe(mailBefore);
  });

  it("ACC-5: the panel's administrator is allowed each of them", async () => {
    const w = await worldWithPanel();
    await w.invite(PERSON);
    const calls = administrativeCalls(w, w.admin);
    expect((await calls.listMembers()).isOk()).toBe(true);
    expect((await calls.addMember()).isOk()).toBe(true);
    expect((await calls.resendInvitation()).isOk()).toBe(true);
    expect((await calls.changeAccess()).isOk()).toBe(true);
    expect((await calls.removeMember()).isOk()).toBe(true);
    expect((await calls.reinviteMember()).isOk()).toBe(true);
  });

  it("ACC-5: an account cannot create panels; the support team and the system can", async () => {
    const w = await worldWithPanel();
    const input = { name: "New", administratorEmail: "x@example.com" };
    expect(
      (await w.panelAccess.createPanel({ ...input, actor: w.admin }))._unsafeUnwrapErr().type,
    ).toBe("FORBIDDEN");
    const operator = { type: "operator", operatorId: "support-1" } as const;
    expect((await w.panelAccess.createPanel({ ...input, actor: operator })).isOk()).toBe(true);
  });

  it("ACC-5: an unknown panel is named as such", async () => {
    const w = await worldWithPanel();
    const result = await w.panelAccess.listMembers({ actor: w.admin, panelId: "no-such-panel" });
    expect(result._unsafeUnwrapErr().type).toBe("PANEL_NOT_FOUND");
  });
});
