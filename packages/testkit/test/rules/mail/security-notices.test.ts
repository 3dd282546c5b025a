import { describe, expect, it } from "vitest";
import { PASSWORD, resetTokenOf, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";
const LOGIN = "https://app.example.test/login";

/** A notice must name no secret: no token, code or password in any field. */
function expectNoSecret(notice: unknown, secrets: readonly string[]) {
  const text = JSON.stringify(notice);
  expect(text).not.toMatch(/token=|secret|otpauth/i);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe("security notices (MAIL-3)", () => {
  it("MAIL-3: setting up 2FA e-mails a notice with the time and the login page, and no secret", async () => {
    const w = await worldWithPanel();
    const { backupCodes } = await w.enrolled(PERSON);
    await w.panelAccess.settled();
    const notice = w.mailer.last(PERSON, "twoFactorEnabled");
    expect(notice).toMatchObject({ to: PERSON, loginLink: LOGIN });
    expect(notice?.at.toISO()).toBe(w.clock.now().minus({ seconds: 30 }).toISO());
    expectNoSecret(notice, [...backupCodes, PASSWORD]);
  });

  it("MAIL-3, TFA-6: new backup codes e-mail a notice; a refused attempt sends none", async () => {
    const w = await worldWithPanel();
    const { session } = await w.enrolled(PERSON);
    await w.panelAccess.regenerateBackupCodes({ ...session, password: "not my password" });
    await w.panelAccess.settled();
    expect(w.mailer.to(PERSON, "backupCodesRegenerated")).toEqual([]);
    const { backupCodes } = (
      await w.panelAccess.regenerateBackupCodes({ ...session, password: PASSWORD })
    )._unsafeUnwrap();
    await w.panelAccess.settled();
    const notices = w.mailer.to(PERSON, "backupCodesRegenerated");
    expect(notices).toHaveLength(1);
    expect(notices[0]?.at.toISO()).toBe(w.clock.now().toISO());
    expectNoSecret(notices[0], [...backupCodes, PASSWORD]);
  });

  it("MAIL-3, TFA-7: remembering a browser e-mails a notice with its label and until when", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const step = await w.secondFactorStep(PERSON);
    const done = (
      await w.panelAccess.verifySecondFactor({
        challenge: step.challenge,
        code: app.code(),
        rememberBrowser: true,
        browserLabel: "Firefox on Linux",
      })
    )._unsafeUnwrap();
    await w.panelAccess.settled();
    const notice = w.mailer.last(PERSON, "browserRemembered");
    expect(notice).toMatchObject({ label: "Firefox on Linux", loginLink: LOGIN });
    expect(notice?.until.toISO()).toBe(done.rememberedBrowser?.expiresAt.toISO());
    expectNoSecret(notice, [
      done.rememberedBrowser?.rememberedBrowserToken ?? "",
      done.session.sessionToken,
    ]);
    // A login without remembering sends no such notice.
    w.clock.advance({ seconds: 30 });
    const again = await w.secondFactorStep(PERSON);
    await w.panelAccess.verifySecondFactor({ challenge: again.challenge, code: app.code() });
    await w.panelAccess.settled();
    expect(w.mailer.to(PERSON, "browserRemembered")).toHaveLength(1);
  });

  it("MAIL-3, PWD-3: a password changed through a reset link e-mails a notice after the change", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    (await w.panelAccess.forgotPassword({ email: PERSON }))._unsafeUnwrap();
    await w.panelAccess.settled();
    const token = resetTokenOf(w, PERSON);
    expect(w.mailer.to(PERSON, "passwordChanged")).toEqual([]);
    (
      await w.panelAccess.resetPassword({ token, password: "a brand new passphrase" })
    )._unsafeUnwrap();
    const notice = w.mailer.last(PERSON, "passwordChanged");
    expect(notice).toMatchObject({ to: PERSON, loginLink: LOGIN });
    expect(notice?.at.toISO()).toBe(w.clock.now().toISO());
    expectNoSecret(notice, [token, "a brand new passphrase"]);
  });
});
