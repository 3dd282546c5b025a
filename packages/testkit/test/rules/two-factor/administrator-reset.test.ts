import { scan } from "@panel-access/testkit";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { PASSWORD, tokenOf, type World, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";
const LOGIN_FAILED = err({ type: "LOGIN_FAILED" });

/** Another organisation: "Panel B" with its own registered administrator. */
async function otherOrganisation(w: World) {
  const email = "b-admin@example.com";
  const { panel } = (
    await w.panelAccess.createPanel({
      actor: { type: "system" },
      name: "Panel B",
      administratorEmail: email,
    })
  )._unsafeUnwrap();
  const token = tokenOf(w.mailer.last(email, "invitation"));
  const b = (await w.panelAccess.register({ token, password: PASSWORD }))._unsafeUnwrap();
  return { panelId: panel.id, actor: { type: "account", accountId: b.accountId } as const };
}

describe("administrator reset and SSO", () => {
  it("TFA-8: an administrator's reset ends backup codes, remembered browsers and sessions, e-mails the person, and the next login sets up anew", async () => {
    const w = await worldWithPanel();
    const { app, backupCodes, session } = await w.enrolled(PERSON);
    const step = await w.secondFactorStep(PERSON);
    const done = await w.panelAccess.verifySecondFactor({
      challenge: step.challenge,
      code: app.code(),
      rememberBrowser: true,
    });
    const browser = done._unsafeUnwrap().rememberedBrowser?.rememberedBrowserToken ?? "";

    (
      await w.panelAccess.resetTwoFactor({ actor: w.admin, panelId: w.panelId, email: PERSON })
    )._unsafeUnwrap();
    expect(w.mailer.last(PERSON, "twoFactorReset")).toMatchObject({ panel: { name: "Acme" } });
    expect(await w.panelAccess.validateSession(session)).toEqual(err({ type: "SESSION_INVALID" }));
    const next = await w.passwordStep(PERSON, browser);
    if (next.next !== "secondFactorSetup") expect.fail(next.next);
    expect(
      await w.panelAccess.completeTwoFactorSetup({
        challenge: next.challenge,
        code: backupCodes[0] ?? "",
      }),
    ).toEqual(LOGIN_FAILED);
    expect(
      await w.panelAccess.completeTwoFactorSetup({ challenge: next.challenge, code: app.code() }),
    ).toEqual(LOGIN_FAILED);
    const newApp = scan(next.setup.uri, w.clock);
    expect(
      (
        await w.panelAccess.completeTwoFactorSetup({
          challenge: next.challenge,
          code: newApp.code(),
        })
      ).isOk(),
    ).toBe(true);
  });

  it("TFA-8, ACC-5: only an administrator of a panel the person belongs to may reset their 2FA", async () => {
    const w = await worldWithPanel();
    const member = await w.member("member@example.com");
    await w.enrolled(PERSON);
    const globex = await w.otherPanel();
    const before = w.store.snapshot();
    expect(
      await w.panelAccess.resetTwoFactor({ actor: member, panelId: w.panelId, email: PERSON }),
    ).toEqual(err({ type: "FORBIDDEN" }));
    expect(
      await w.panelAccess.resetTwoFactor({ actor: w.admin, panelId: globex, email: PERSON }),
    ).toEqual(err({ type: "MEMBERSHIP_NOT_FOUND" }));
    expect(w.store.snapshot()).toEqual(before);
  });

  it("TFA-8 v2: the administrator of another organisation's panel cannot reset a shared person's 2FA; the person's sessions in panel A stay intact", async () => {
    const w = await worldWithPanel();
    const { session, app } = await w.enrolled(PERSON);
    // Organisation B: its own panel and administrator.
    const { panelId: panelB, actor: adminB } = await otherOrganisation(w);
    // The attack: add A's person to panel B (they are only told), then reset their 2FA.
    const added = await w.panelAccess.addMember({
      actor: adminB,
      panelId: panelB,
      email: PERSON,
      role: "viewer",
      access: { type: "permanent" },
    });
    expect(added._unsafeUnwrap().notice).toBe("accessGranted");
    await w.panelAccess.settled();
    const before = w.store.snapshot();
    const sentBefore = w.mailer.sent.length;
    expect(
      await w.panelAccess.resetTwoFactor({ actor: adminB, panelId: panelB, email: PERSON }),
    ).toEqual(err({ type: "TWO_FACTOR_RESET_NEEDS_SUPPORT" }));
    expect(w.store.snapshot()).toEqual(before);
    expect(w.mailer.sent.length).toBe(sentBefore);
    const valid = (await w.panelAccess.validateSession(session))._unsafeUnwrap();
    expect(valid.panels.map((p) => p.panel.name).sort()).toEqual(["Acme", "Panel B"]);
    // The authenticator still works: the password holder cannot enrol a new one.
    const step = await w.secondFactorStep(PERSON);
    const done = await w.panelAccess.verifySecondFactor({
      challenge: step.challenge,
      code: app.code(),
    });
    expect(done.isOk()).toBe(true);
    expect(w.events.ofType("twoFactor.reset")).toEqual([]);
  });

  it("TFA-8 v2: ended access elsewhere still counts (its panel can restore it at once); once removed, the administrator of every remaining panel may reset", async () => {
    const w = await worldWithPanel();
    await w.enrolled(PERSON);
    const b = await otherOrganisation(w);
    const endsAt = w.clock.now().plus({ hours: 1 });
    await w.panelAccess.addMember({
      actor: b.actor,
      panelId: b.panelId,
      email: PERSON,
      role: "viewer",
      access: { type: "temporary", endsAt },
    });
    const reset = () =>
      w.panelAccess.resetTwoFactor({ actor: w.admin, panelId: w.panelId, email: PERSON });
    const needsSupport = err({ type: "TWO_FACTOR_RESET_NEEDS_SUPPORT" });
    expect(await reset()).toEqual(needsSupport);
    w.clock.advance({ hours: 1 });
    expect(await reset()).toEqual(needsSupport);
    // Nor can B's administrator: the person's access to A stands.
    expect(await w.panelAccess.resetTwoFactor({ ...b, email: PERSON })).toEqual(needsSupport);
    await w.panelAccess.removeMember({ ...b, email: PERSON });
    expect((await reset()).isOk()).toBe(true);
    expect(w.events.ofType("twoFactor.reset").at(-1)).toMatchObject({
      panelId: w.panelId,
      actor: w.admin,
    });
  });

  it("TFA-8 v2: the support team resets any account's 2FA, audited, and only the support team", async () => {
    const w = await worldWithPanel();
    const { session } = await w.enrolled(PERSON);
    const operator = { type: "operator", operatorId: "support-7" } as const;
    await w.panelAccess.settled();
    const before = w.store.snapshot();
    expect(await w.panelAccess.supportResetTwoFactor({ actor: w.admin, email: PERSON })).toEqual(
      err({ type: "FORBIDDEN" }),
    );
    expect(
      await w.panelAccess.supportResetTwoFactor({ actor: { type: "system" }, email: PERSON }),
    ).toEqual(err({ type: "FORBIDDEN" }));
    expect(w.store.snapshot()).toEqual(before);
    expect(
      await w.panelAccess.supportResetTwoFactor({ actor: operator, email: "nobody@example.com" }),
    ).toEqual(err({ type: "ACCOUNT_NOT_FOUND" }));
    (await w.panelAccess.supportResetTwoFactor({ actor: operator, email: PERSON }))._unsafeUnwrap();
    expect(await w.panelAccess.validateSession(session)).toEqual(err({ type: "SESSION_INVALID" }));
    expect(w.mailer.last(PERSON, "twoFactorReset")).toMatchObject({ panel: null });
    expect(w.events.ofType("twoFactor.reset").at(-1)).toMatchObject({
      actor: operator,
      panelId: null,
    });
    expect((await w.passwordStep(PERSON)).next).toBe("secondFactorSetup");
  });
});
