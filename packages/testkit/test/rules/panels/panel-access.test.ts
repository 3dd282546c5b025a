import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { ADMIN_EMAIL, PASSWORD, tokenOf, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";

describe("panel access", () => {
  it("PNL-1: temporary access reaches the panel 1 ms before endsAt and not at endsAt", async () => {
    const w = await worldWithPanel();
    const endsAt = w.clock.now().plus({ days: 3 });
    const grant = await w.member(PERSON, "analyst", { type: "temporary", endsAt });
    w.clock.set(endsAt.minus({ milliseconds: 1 }));
    expect(
      (await w.panelAccess.getLivePanels({ accountId: grant.accountId }))._unsafeUnwrap(),
    ).toHaveLength(1);
    w.clock.set(endsAt);
    expect(
      (await w.panelAccess.getLivePanels({ accountId: grant.accountId }))._unsafeUnwrap(),
    ).toEqual([]);
  });

  it("PNL-1: temporary access must end in the future", async () => {
    const w = await worldWithPanel();
    const before = w.store.snapshot();
    const result = await w.panelAccess.addMember({
      actor: w.admin,
      panelId: w.panelId,
      email: PERSON,
      role: "analyst",
      access: { type: "temporary", endsAt: w.clock.now().toISO() ?? "" },
    });
    expect(result).toEqual(err({ type: "ACCESS_END_NOT_IN_FUTURE" }));
    expect(w.store.snapshot()).toEqual(before);
  });

  it("PNL-2: an administrator extends live temporary access or makes it permanent", async () => {
    const w = await worldWithPanel();
    const endsAt = w.clock.now().plus({ days: 3 });
    const grant = await w.member(PERSON, "analyst", { type: "temporary", endsAt });
    const later = endsAt.plus({ days: 10 });
    const changed = await w.panelAccess.changeAccess({
      actor: w.admin,
      panelId: w.panelId,
      email: PERSON,
      access: { type: "temporary", endsAt: later.toJSDate() },
    });
    expect(changed._unsafeUnwrap().access).toEqual({ type: "temporary", endsAt: later });
    w.clock.set(endsAt.plus({ days: 1 }));
    expect(
      (await w.panelAccess.getLivePanels({ accountId: grant.accountId }))._unsafeUnwrap(),
    ).toHaveLength(1);
    const permanent = await w.panelAccess.changeAccess({
      actor: w.admin,
      panelId: w.panelId,
      email: PERSON,
      access: { type: "permanent" },
    });
    expect(permanent._unsafeUnwrap().access).toEqual({ type: "permanent" });
  });

  it("PNL-2: a new endsAt in the past is refused and nothing changes", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const before = w.store.snapshot();
    const result = await w.panelAccess.changeAccess({
      actor: w.admin,
      panelId: w.panelId,
      email: PERSON,
      access: { type: "temporary", endsAt: w.clock.now().minus({ minutes: 1 }).toISO() ?? "" },
    });
    expect(result).toEqual(err({ type: "ACCESS_END_NOT_IN_FUTURE" }));
    expect(w.store.snapshot()).toEqual(before);
  });

  it("PNL-3: ended access cannot be edited; the administrator re-invites", async () => {
    const w = await worldWithPanel();
    const endsAt = w.clock.now().plus({ days: 2 });
    await w.invite(PERSON, { type: "temporary", endsAt });
    w.clock.set(endsAt);
    const result = await w.panelAccess.changeAccess({
      actor: w.admin,
      panelId: w.panelId,
      email: PERSON,
      access: { type: "permanent" },
    });
    expect(result).toEqual(err({ type: "ACCESS_ENDED", endedAt: endsAt }));
  });

  it("PNL-3: a registered person re-invited after access ended is restored at once and told so, without registering again", async () => {
    const w = await worldWithPanel();
    const endsAt = w.clock.now().plus({ days: 2 });
    const grant = await w.member(PERSON, "analyst", { type: "temporary", endsAt });
    w.clock.set(endsAt.plus({ days: 5 }));
    const invitationsBefore = w.mailer.to(PERSON, "invitation").length;
    const reinvited = await w.panelAccess.reinviteMember({
      actor: w.admin,
      panelId: w.panelId,
      email: PERSON,
      role: "analyst",
      access: { type: "permanent" },
    });
    expect(reinvited._unsafeUnwrap().notice).toBe("accessRestored");
    expect(w.mailer.to(PERSON, "invitation")).toHaveLength(invitationsBefore);
    expect(w.mailer.last(PERSON, "accessRestored")).toMatchObject({
      to: PERSON,
      loginLink: "https://app.example.test/login",
      panel: { id: w.panelId, name: "Acme" },
    });
    expect(
      (await w.panelAccess.getLivePanels({ accountId: grant.accountId }))._unsafeUnwrap(),
    ).toHaveLength(1);
  });

  it("PNL-3: an unregistered person re-invited after access ended gets a fresh invitation", async () => {
    const w = await worldWithPanel();
    const endsAt = w.clock.now().plus({ days: 2 });
    const { token: old } = await w.invite(PERSON, {
      type: "temporary",
      endsAt,
    });
    w.clock.set(endsAt);
    const reinvited = await w.panelAccess.reinviteMember({
      actor: w.admin,
      panelId: w.panelId,
      email: PERSON,
      role: "analyst",
      access: { type: "permanent" },
    });
    expect(reinvited._unsafeUnwrap().notice).toBe("invitation");
    const fresh = tokenOf(w.mailer.last(PERSON, "invitation"));
    expect(fresh).not.toBe(old);
    expect((await w.panelAccess.register({ token: fresh, password: PASSWORD })).isOk()).toBe(true);
  });

  it("PNL-3: re-inviting someone whose access is still live is refused: edit it instead", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const result = await w.panelAccess.reinviteMember({
      actor: w.admin,
      panelId: w.panelId,
      email: PERSON,
      role: "analyst",
      access: { type: "permanent" },
    });
    expect(result).toEqual(err({ type: "ACCESS_STILL_LIVE" }));
  });

  it("PNL-4: removing a person removes that membership only; the account, password and other panels stay", async () => {
    const w = await worldWithPanel();
    const person = await w.member(PERSON);
    const globex = await w.otherPanel();
    await w.panelAccess.addMember({
      actor: w.admin,
      panelId: globex,
      email: PERSON,
      role: "viewer",
      access: { type: "permanent" },
    });
    const removed = await w.panelAccess.removeMember({
      actor: w.admin,
      panelId: w.panelId,
      email: PERSON,
    });
    expect(removed._unsafeUnwrap()).toEqual({ accountId: person.accountId });
    const panels = (
      await w.panelAccess.getLivePanels({ accountId: person.accountId })
    )._unsafeUnwrap();
    expect(panels.map((p) => p.panel.name)).toEqual(["Globex"]);
    const acme = (
      await w.panelAccess.listMembers({ actor: w.admin, panelId: w.panelId })
    )._unsafeUnwrap();
    expect(acme.map((m) => m.email)).toEqual([ADMIN_EMAIL]);
  });

  it("PNL-5: with every membership removed or ended the account is expired and reaches no panel; a re-invite from any panel restores it", async () => {
    const w = await worldWithPanel();
    const person = await w.member(PERSON);
    (
      await w.panelAccess.removeMember({ actor: w.admin, panelId: w.panelId, email: PERSON })
    )._unsafeUnwrap();
    expect(
      (await w.panelAccess.getLivePanels({ accountId: person.accountId }))._unsafeUnwrap(),
    ).toEqual([]);
    const globex = await w.otherPanel();
    const restored = await w.panelAccess.reinviteMember({
      actor: w.admin,
      panelId: globex,
      email: PERSON,
      role: "viewer",
      access: { type: "permanent" },
    });
    expect(restored._unsafeUnwrap().notice).toBe("accessRestored");
    const panels = (
      await w.panelAccess.getLivePanels({ accountId: person.accountId })
    )._unsafeUnwrap();
    expect(panels.map((p) => p.panel.name)).toEqual(["Globex"]);
    const members = (
      await w.panelAccess.listMembers({ actor: w.admin, panelId: globex })
    )._unsafeUnwrap();
    expect(members.find((m) => m.email === PERSON)?.status).toBe("active");
  });

  it("PNL-5: a member whose only access ended shows as expired", async () => {
    const w = await worldWithPanel();
    const endsAt = w.clock.now().plus({ days: 1 });
    const { token } = await w.invite(PERSON, { type: "temporary", endsAt });
    (await w.panelAccess.register({ token: token ?? "", password: PASSWORD }))._unsafeUnwrap();
    w.clock.set(endsAt);
    const members = (
      await w.panelAccess.listMembers({ actor: w.admin, panelId: w.panelId })
    )._unsafeUnwrap();
    expect(members.find((m) => m.email === PERSON)?.status).toBe("expired");
  });

  it("PNL-6: the last live administrator can be neither removed nor demoted", async () => {
    const w = await worldWithPanel();
    const before = w.store.snapshot();
    expect(
      await w.panelAccess.removeMember({ actor: w.admin, panelId: w.panelId, email: ADMIN_EMAIL }),
    ).toEqual(err({ type: "LAST_ADMINISTRATOR" }));
    expect(
      await w.panelAccess.changeAccess({
        actor: w.admin,
        panelId: w.panelId,
        email: ADMIN_EMAIL,
        role: "analyst",
      }),
    ).toEqual(err({ type: "LAST_ADMINISTRATOR" }));
    expect(
      await w.panelAccess.addMember({
        actor: w.admin,
        panelId: w.panelId,
        email: ADMIN_EMAIL,
        role: "analyst",
        access: { type: "permanent" },
      }),
    ).toEqual(err({ type: "LAST_ADMINISTRATOR" }));
    expect(w.store.snapshot()).toEqual(before);
  });

  it("PNL-6: with a second administrator, either may go, but two removing each other at once leave one", async () => {
    const w = await worldWithPanel();
    const second = await w.member("second@example.com", "administrator");
    const results = await Promise.all([
      w.panelAccess.removeMember({
        actor: w.admin,
        panelId: w.panelId,
        email: "second@example.com",
      }),
      w.panelAccess.removeMember({ actor: second, panelId: w.panelId, email: ADMIN_EMAIL }),
    ]);
    expect(results.filter((r) => r.isOk())).toHaveLength(1);
    const failure = results.find((r) => r.isErr())?._unsafeUnwrapErr().type;
    expect(["FORBIDDEN", "LAST_ADMINISTRATOR"]).toContain(failure);
    const survivors = [w.admin, second];
    const lists = await Promise.all(
      survivors.map((actor) => w.panelAccess.listMembers({ actor, panelId: w.panelId })),
    );
    const admins = lists
      .flatMap((l) => (l.isOk() ? l.value : []))
      .filter((m) => m.role === "administrator");
    expect(admins).toHaveLength(1);
  });

  it("PNL-7: live panels are computed at each call: a removal takes effect at once", async () => {
    const w = await worldWithPanel();
    const person = await w.member(PERSON);
    expect(
      (await w.panelAccess.getLivePanels({ accountId: person.accountId }))._unsafeUnwrap(),
    ).toHaveLength(1);
    (
      await w.panelAccess.removeMember({ actor: w.admin, panelId: w.panelId, email: PERSON })
    )._unsafeUnwrap();
    expect(
      (await w.panelAccess.getLivePanels({ accountId: person.accountId }))._unsafeUnwrap(),
    ).toEqual([]);
  });

  it("PNL-7: an unregistered account reaches no panel", async () => {
    const w = await worldWithPanel();
    const { grant } = await w.invite(PERSON);
    expect(
      (await w.panelAccess.getLivePanels({ accountId: grant.accountId }))._unsafeUnwrap(),
    ).toEqual([]);
  });
});
