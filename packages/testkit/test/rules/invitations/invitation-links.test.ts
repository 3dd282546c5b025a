import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { PASSWORD, tokenOf, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";

describe("invitations and registration", () => {
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
});
