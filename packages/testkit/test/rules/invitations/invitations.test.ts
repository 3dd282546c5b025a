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

  it("ACC-3: 3 days of temporary access: the link works 1 ms before day 3 and is refused at it", async () => {
    const w = await worldWithPanel();
    const endsAt = w.clock.now().plus({ days: 3 });
    const { token } = await w.invite(PERSON, { type: "temporary", endsAt });
    expect(w.mailer.last(PERSON, "invitation")?.expiresAt.toISO()).toBe(endsAt.toISO());
    w.clock.set(endsAt.minus({ milliseconds: 1 }));
    expect((await w.panelAccess.inspectInvitation({ token: token ?? "" })).isOk()).toBe(true);
    w.clock.set(endsAt);
    expect(await w.panelAccess.inspectInvitation({ token: token ?? "" })).toEqual(
      err({ type: "INVITATION_EXPIRED", expiredAt: endsAt }),
    );
    expect(
      (await w.panelAccess.register({ token: token ?? "", password: PASSWORD }))._unsafeUnwrapErr()
        .type,
    ).toBe("INVITATION_EXPIRED");
  });

  it("ACC-3: permanent access: the link works 1 ms before 7 days and is refused at 7 days", async () => {
    const w = await worldWithPanel();
    const sentAt = w.clock.now();
    const { token } = await w.invite(PERSON);
    w.clock.set(sentAt.plus({ days: 7 }).minus({ milliseconds: 1 }));
    expect((await w.panelAccess.inspectInvitation({ token: token ?? "" })).isOk()).toBe(true);
    w.clock.set(sentAt.plus({ days: 7 }));
    expect(
      (await w.panelAccess.register({ token: token ?? "", password: PASSWORD }))._unsafeUnwrapErr()
        .type,
    ).toBe("INVITATION_EXPIRED");
  });

  it("ACC-3: 10 days of temporary access: the link expires after 7 days", async () => {
    const w = await worldWithPanel();
    const endsAt = w.clock.now().plus({ days: 10 });
    await w.invite(PERSON, { type: "temporary", endsAt });
    expect(w.mailer.last(PERSON, "invitation")?.expiresAt.toISO()).toBe(
      w.clock.now().plus({ days: 7 }).toISO(),
    );
  });

  it("ACC-4: after a resend only the latest link works; an older one says to use the latest e-mail", async () => {
    const w = await worldWithPanel();
    const { token: first } = await w.invite(PERSON);
    w.clock.advance({ hours: 1 });
    (
      await w.panelAccess.resendInvitation({ actor: w.admin, panelId: w.panelId, email: PERSON })
    )._unsafeUnwrap();
    const latest = tokenOf(w.mailer.last(PERSON, "invitation"));
    expect(await w.panelAccess.register({ token: first ?? "", password: PASSWORD })).toEqual(
      err({ type: "INVITATION_SUPERSEDED" }),
    );
    expect((await w.panelAccess.register({ token: latest, password: PASSWORD })).isOk()).toBe(true);
  });

  it("ACC-6: registering through a working link sets the password and makes the account active", async () => {
    const w = await worldWithPanel();
    const { token, grant } = await w.invite(PERSON);
    const registered = await w.panelAccess.register({ token: token ?? "", password: PASSWORD });
    expect(registered._unsafeUnwrap()).toEqual({ accountId: grant.accountId, email: PERSON });
    const members = (
      await w.panelAccess.listMembers({ actor: w.admin, panelId: w.panelId })
    )._unsafeUnwrap();
    expect(members.find((m) => m.email === PERSON)?.status).toBe("active");
    const panels = (
      await w.panelAccess.getLivePanels({ accountId: grant.accountId })
    )._unsafeUnwrap();
    expect(panels.map((p) => p.panel.id)).toEqual([w.panelId]);
  });

  it("ACC-6, PWD-1: the password is stored as an argon2id hash, never as given", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    (await w.panelAccess.register({ token: token ?? "", password: PASSWORD }))._unsafeUnwrap();
    const stored = JSON.stringify(w.store.snapshot());
    expect(stored).not.toContain(PASSWORD);
    expect(stored).toMatch(/\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
  });

  it("ACC-6: a used link, an unknown link and a forged secret change nothing and say which", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    const valid = token ?? "";
    (await w.panelAccess.register({ token: valid, password: PASSWORD }))._unsafeUnwrap();
    const before = w.store.snapshot();
    expect(
      (
        await w.panelAccess.register({ token: valid, password: "another password" })
      )._unsafeUnwrapErr().type,
    ).toBe("INVITATION_USED");
    const forged = `${valid.split(".")[0]}.${"A".repeat(43)}`;
    expect(await w.panelAccess.register({ token: forged, password: PASSWORD })).toEqual(
      err({ type: "INVITATION_UNKNOWN" }),
    );
    const unknown = `${"B".repeat(22)}.${"C".repeat(43)}`;
    expect(await w.panelAccess.inspectInvitation({ token: unknown })).toEqual(
      err({ type: "INVITATION_UNKNOWN" }),
    );
    expect(w.store.snapshot()).toEqual(before);
  });

  it("ACC-6: an expired link leaves the account unregistered and the password unset", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    w.clock.advance({ days: 8 });
    const before = w.store.snapshot();
    expect((await w.panelAccess.register({ token: token ?? "", password: PASSWORD })).isErr()).toBe(
      true,
    );
    expect(w.store.snapshot()).toEqual(before);
  });

  it("ACC-7: resending issues a new link whose expiry counts from the new sending time", async () => {
    const w = await worldWithPanel();
    const { token: first } = await w.invite(PERSON);
    w.clock.advance({ days: 8 });
    expect(
      (await w.panelAccess.inspectInvitation({ token: first ?? "" }))._unsafeUnwrapErr().type,
    ).toBe("INVITATION_EXPIRED");
    const issued = (
      await w.panelAccess.resendInvitation({ actor: w.admin, panelId: w.panelId, email: PERSON })
    )._unsafeUnwrap();
    expect(issued.invitationExpiresAt.toISO()).toBe(w.clock.now().plus({ days: 7 }).toISO());
    const latest = tokenOf(w.mailer.last(PERSON, "invitation"));
    expect((await w.panelAccess.register({ token: latest, password: PASSWORD })).isOk()).toBe(true);
  });

  it("ACC-7: resending to a registered person is refused: they need no invitation", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    expect(
      await w.panelAccess.resendInvitation({ actor: w.admin, panelId: w.panelId, email: PERSON }),
    ).toEqual(err({ type: "ALREADY_REGISTERED" }));
  });

  it("ACC-7: resending for access that has ended is refused: re-invite with a new term", async () => {
    const w = await worldWithPanel();
    const endsAt = w.clock.now().plus({ days: 2 });
    await w.invite(PERSON, { type: "temporary", endsAt });
    w.clock.set(endsAt);
    expect(
      await w.panelAccess.resendInvitation({ actor: w.admin, panelId: w.panelId, email: PERSON }),
    ).toEqual(err({ type: "ACCESS_ENDED", endedAt: endsAt }));
  });

  it("ACC-8: a token carries 128+ random bits in a selector and a 256-bit secret; only the secret's hash is stored", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    const [selector, secret] = (token ?? "").split(".");
    expect(Buffer.from(selector ?? "", "base64url")).toHaveLength(16);
    expect(Buffer.from(secret ?? "", "base64url")).toHaveLength(32);
    const stored = JSON.stringify(w.store.snapshot());
    expect(stored).not.toContain(secret);
    expect(stored).toContain(selector);
  });

  it("ACC-9: inspecting a link any number of times never consumes it", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    for (let i = 0; i < 5; i++) {
      const details = (
        await w.panelAccess.inspectInvitation({ token: token ?? "" })
      )._unsafeUnwrap();
      expect(details).toMatchObject({ email: PERSON, panel: { id: w.panelId, name: "Acme" } });
    }
    expect((await w.panelAccess.register({ token: token ?? "", password: PASSWORD })).isOk()).toBe(
      true,
    );
    expect(
      (await w.panelAccess.inspectInvitation({ token: token ?? "" }))._unsafeUnwrapErr().type,
    ).toBe("INVITATION_USED");
  });

  it("ACC-3 decision: removing an unregistered person revokes their link; ended access expires it", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    (
      await w.panelAccess.removeMember({ actor: w.admin, panelId: w.panelId, email: PERSON })
    )._unsafeUnwrap();
    expect(await w.panelAccess.register({ token: token ?? "", password: PASSWORD })).toEqual(
      err({ type: "INVITATION_REVOKED" }),
    );
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
