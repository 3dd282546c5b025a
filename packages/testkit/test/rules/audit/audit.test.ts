import { describe, expect, it } from "vitest";
import { PASSWORD, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";

describe("AUD-1: every state change emits a typed event", () => {
  it("AUD-1: each use case's change is reported with who, what, which account and panel, and when", async () => {
    const w = await worldWithPanel();
    w.events.clear();
    const { token, grant } = await w.invite(PERSON);
    const at = w.clock.now();
    const who = w.admin;
    const ids = { accountId: grant.accountId, panelId: w.panelId };
    expect(w.events.events.map((e) => e.type)).toEqual([
      "account.created",
      "membership.granted",
      "invitation.sent",
    ]);
    expect(w.events.ofType("membership.granted")[0]).toMatchObject({
      at,
      actor: who,
      ...ids,
      role: "analyst",
    });
    expect(w.events.ofType("invitation.sent")[0]).toMatchObject({ at, actor: who, ...ids });

    w.clock.advance({ minutes: 5 });
    (await w.panelAccess.register({ token: token ?? "", password: PASSWORD }))._unsafeUnwrap();
    expect(w.events.ofType("account.registered")[0]).toMatchObject({
      at: w.clock.now(),
      actor: { type: "account", accountId: grant.accountId },
      accountId: grant.accountId,
    });

    await w.panelAccess.changeAccess({
      actor: who,
      panelId: w.panelId,
      email: PERSON,
      role: "editor",
    });
    expect(w.events.ofType("membership.changed")[0]).toMatchObject({
      ...ids,
      role: "editor",
      previousRole: "analyst",
    });
    await w.panelAccess.removeMember({ actor: who, panelId: w.panelId, email: PERSON });
    expect(w.events.ofType("membership.removed")[0]).toMatchObject({ actor: who, ...ids });
    await w.panelAccess.reinviteMember({
      actor: who,
      panelId: w.panelId,
      email: PERSON,
      role: "analyst",
      access: { type: "permanent" },
    });
    expect(w.events.ofType("access.restored")[0]).toMatchObject({ actor: who, ...ids });
  });

  it("AUD-1: events never carry a password, a token or its secret", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    (await w.panelAccess.register({ token: token ?? "", password: PASSWORD }))._unsafeUnwrap();
    const [, secret] = (token ?? "").split(".");
    const serialised = JSON.stringify(w.events.events);
    expect(serialised).not.toContain(PASSWORD);
    expect(serialised).not.toContain(secret);
    expect(serialised).not.toContain("$argon2id$");
  });

  it("AUD-1: a refused request emits nothing", async () => {
    const w = await worldWithPanel();
    w.events.clear();
    await w.panelAccess.removeMember({
      actor: w.admin,
      panelId: w.panelId,
      email: "nobody@example.com",
    });
    await w.panelAccess.addMember({
      actor: { type: "system" },
      panelId: w.panelId,
      email: PERSON,
      role: "analyst",
      access: { type: "permanent" },
    });
    expect(w.events.events).toEqual([]);
  });
});
