import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { ADMIN_EMAIL, PASSWORD, tokenOf, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";

describe("invitations and registration", () => {
  it("ACC-1: adding an unknown e-mail creates an unregistered account and e-mails an invitation", async () => {
    const w = await worldWithPanel();
    const grant = (
      await w.panelAccess.addMember({
        actor: w.admin,
        panelId: w.panelId,
        email: "  Person@Example.COM ",
        role: "analyst",
        access: { type: "permanent" },
      })
    )._unsafeUnwrap();
    expect(grant.notice).toBe("invitation");
    const mail = w.mailer.last(PERSON, "invitation");
    expect(mail).toMatchObject({
      kind: "invitation",
      to: PERSON,
      role: "analyst",
      panel: { id: w.panelId, name: "Acme" },
    });
    expect(mail?.link).toMatch(/^https:\/\/app\.example\.test\/register\?token=/);
    expect(mail?.expiresAt.toISO()).toBe(w.clock.now().plus({ days: 7 }).toISO());
    const members = (
      await w.panelAccess.listMembers({ actor: w.admin, panelId: w.panelId })
    )._unsafeUnwrap();
    expect(members.find((m) => m.email === PERSON)?.status).toBe("unregistered");
  });

  it("ACC-2 v2, MAIL-3: adding a registered person to another panel grants access at once and sends an access-granted notice, not an invitation", async () => {
    const w = await worldWithPanel();
    const person = await w.member(PERSON);
    const globex = await w.otherPanel();
    const sentBefore = w.mailer.sent.length;
    const grant = await w.panelAccess.addMember({
      actor: w.admin,
      panelId: globex,
      email: PERSON,
      role: "viewer",
      access: { type: "permanent" },
    });
    expect(grant._unsafeUnwrap()).toMatchObject({
      notice: "accessGranted",
      invitationExpiresAt: null,
    });
    expect(w.mailer.sent.slice(sentBefore).map((m) => m.kind)).toEqual(["accessGranted"]);
    const notice = w.mailer.last(PERSON, "accessGranted");
    expect(notice).toMatchObject({
      panel: { id: globex, name: "Globex" },
      role: "viewer",
      access: { type: "permanent" },
      grantedBy: ADMIN_EMAIL,
      loginLink: "https://app.example.test/login",
    });
    expect(notice?.at.toISO()).toBe(w.clock.now().toISO());
    expect(JSON.stringify(notice)).not.toMatch(/token|register/);
    const panels = (
      await w.panelAccess.getLivePanels({ accountId: person.accountId })
    )._unsafeUnwrap();
    expect(panels.map((p) => p.panel.name).sort()).toEqual(["Acme", "Globex"]);
  });

  it("ACC-2 v2: a removed and re-added registered person gets a notice, no invitation; role and access are updated", async () => {
    const w = await worldWithPanel();
    const person = await w.member(PERSON);
    (
      await w.panelAccess.removeMember({ actor: w.admin, panelId: w.panelId, email: PERSON })
    )._unsafeUnwrap();
    const sentBefore = w.mailer.sent.length;
    const endsAt = w.clock.now().plus({ days: 3 });
    const grant = await w.panelAccess.addMember({
      actor: w.admin,
      panelId: w.panelId,
      email: PERSON,
      role: "editor",
      access: { type: "temporary", endsAt },
    });
    expect(grant._unsafeUnwrap().notice).toBe("accessGranted");
    expect(w.mailer.sent.slice(sentBefore).map((m) => m.kind)).toEqual(["accessGranted"]);
    const notice = w.mailer.last(PERSON, "accessGranted");
    expect(notice?.access.type === "temporary" && notice.access.endsAt.toISO()).toBe(
      endsAt.toISO(),
    );
    const panels = (
      await w.panelAccess.getLivePanels({ accountId: person.accountId })
    )._unsafeUnwrap();
    expect(panels.map((p) => p.role)).toEqual(["editor"]);
  });

  it("ACC-2 v2: changing a live membership through addMember sends nothing", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const sentBefore = w.mailer.sent.length;
    const changed = await w.panelAccess.addMember({
      actor: w.admin,
      panelId: w.panelId,
      email: PERSON,
      role: "editor",
      access: { type: "permanent" },
    });
    expect(changed._unsafeUnwrap().notice).toBe("none");
    expect(w.mailer.sent.length).toBe(sentBefore);
  });

  it("ACC-2b: adding an unregistered person to a second panel sends a new invitation; the old link stops working", async () => {
    const w = await worldWithPanel();
    const { token: first } = await w.invite(PERSON);
    const globex = await w.otherPanel();
    const grant = await w.panelAccess.addMember({
      actor: w.admin,
      panelId: globex,
      email: PERSON,
      role: "viewer",
      access: { type: "permanent" },
    });
    expect(grant._unsafeUnwrap().notice).toBe("invitation");
    const second = tokenOf(w.mailer.last(PERSON, "invitation"));
    expect(second).not.toBe(first);
    expect(await w.panelAccess.inspectInvitation({ token: first ?? "" })).toEqual(
      err({ type: "INVITATION_SUPERSEDED" }),
    );
    (await w.panelAccess.register({ token: second, password: PASSWORD }))._unsafeUnwrap();
    const accountId = grant._unsafeUnwrap().accountId;
    const panels = (await w.panelAccess.getLivePanels({ accountId }))._unsafeUnwrap();
    expect(panels).toHaveLength(2);
  });

  it("ACC-1: a panel is created with its first administrator, invited like anyone else", async () => {
    const w = await worldWithPanel();
    const invitations = w.mailer.to(ADMIN_EMAIL, "invitation");
    expect(invitations).toHaveLength(1);
    const members = (
      await w.panelAccess.listMembers({ actor: w.admin, panelId: w.panelId })
    )._unsafeUnwrap();
    expect(members).toEqual([
      expect.objectContaining({ email: ADMIN_EMAIL, role: "administrator", status: "active" }),
    ]);
  });
});
