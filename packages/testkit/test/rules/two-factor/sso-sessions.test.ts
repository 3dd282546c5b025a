import { err, ok } from "neverthrow";
import { describe, expect, it } from "vitest";
import { PASSWORD, statusIn, type World, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";
const LOGIN_FAILED = err({ type: "LOGIN_FAILED" });

/** A panel with SSO enabled, administered by the world's administrator. */
async function ssoPanel(w: World): Promise<string> {
  const created = await w.panelAccess.createPanel({
    actor: { type: "system" },
    name: "SSO panel",
    settings: { ssoEnabled: true },
    administratorEmail: "admin@example.com",
  });
  return created._unsafeUnwrap().panel.id;
}

/** Adds the person to the SSO panel and opens a session there through SSO (TFA-9). */
async function ssoSessionOf(w: World, panelId: string) {
  const access = { type: "permanent" } as const;
  await w.panelAccess.addMember({ actor: w.admin, panelId, email: PERSON, role: "viewer", access });
  return (await w.panelAccess.openSsoSession({ email: PERSON, panelId }))._unsafeUnwrap();
}

describe("administrator reset and SSO", () => {
  it("TFA-9: an SSO panel gets a session without the library's second factor; it reaches only SSO panels", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const session = await ssoSessionOf(w, await ssoPanel(w));
    const valid = (await w.panelAccess.validateSession(session))._unsafeUnwrap();
    expect(valid.panels.map((p) => p.panel.name)).toEqual(["SSO panel"]);
    expect(w.events.ofType("login.completed").at(-1)?.method).toBe("sso");
  });

  it("TFA-9: a panel without SSO still requires 2FA; SSO for someone without access is refused", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    expect(await w.panelAccess.openSsoSession({ email: PERSON, panelId: w.panelId })).toEqual(
      err({ type: "SSO_NOT_ENABLED" }),
    );
    const sso = await ssoPanel(w);
    expect(await w.panelAccess.openSsoSession({ email: PERSON, panelId: sso })).toEqual(
      err({ type: "NO_LIVE_ACCESS" }),
    );
  });
});

describe("SSO sessions manage nothing (TFA-9 v2)", () => {
  async function ssoWorld() {
    const w = await worldWithPanel();
    const enrolled = await w.enrolled(PERSON);
    const ssoPanelId = await ssoPanel(w);
    const ssoSession = await ssoSessionOf(w, ssoPanelId);
    return { w, ssoSession, ssoPanelId, ...enrolled };
  }

  it("TFA-9 v2: the step-up is refused: an SSO session cannot generate backup codes, and so cannot reach a non-SSO panel", async () => {
    const { w, ssoSession, backupCodes } = await ssoWorld();
    await w.panelAccess.settled();
    const before = w.store.snapshot();
    const refused = await w.panelAccess.regenerateBackupCodes({
      sessionToken: ssoSession.sessionToken,
      password: PASSWORD,
    });
    expect(refused).toEqual(err({ type: "SECOND_FACTOR_SESSION_REQUIRED" }));
    expect(w.store.snapshot()).toEqual(before);
    expect(w.mailer.to(PERSON, "backupCodesRegenerated")).toEqual([]);
    // The attacker's next move, a password login with a code they would have minted, has no code to use:
    // only the person's own backup codes work.
    const step = await w.secondFactorStep(PERSON);
    const login = await w.panelAccess.verifySecondFactor({
      challenge: step.challenge,
      code: backupCodes[0] ?? "",
    });
    expect(login.isOk()).toBe(true);
    const valid = (await w.panelAccess.validateSession(ssoSession))._unsafeUnwrap();
    expect(valid.method).toBe("sso");
    expect(valid.panels.map((p) => p.panel.name)).toEqual(["SSO panel"]);
  });

  it("TFA-9 v2, LCK-1 v2: an SSO login does not zero the failure count: codes guessed between SSO logins still lock", async () => {
    const { w, app, ssoPanelId } = await ssoWorld();
    const wrong = () => String((Number(app.code()) + 1) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < 5; i++) {
      const { challenge } = await w.secondFactorStep(PERSON);
      await w.panelAccess.verifySecondFactor({ challenge, code: wrong() });
      // Whoever controls the identity provider logs in through SSO between guesses.
      const panelId = ssoPanelId;
      expect((await w.panelAccess.openSsoSession({ email: PERSON, panelId })).isOk()).toBe(true);
    }
    const { challenge } = await w.secondFactorStep(PERSON);
    expect(await w.panelAccess.verifySecondFactor({ challenge, code: wrong() })).toEqual(
      LOGIN_FAILED,
    );
    await w.panelAccess.settled();
    expect(await statusIn(w, PERSON)).toBe("locked");
  });

  it("TFA-9 v2: an SSO session can neither list nor forget remembered browsers nor count backup codes; a second-factor session can", async () => {
    const { w, ssoSession, session } = await ssoWorld();
    const sessionToken = ssoSession.sessionToken;
    const refused = err({ type: "SECOND_FACTOR_SESSION_REQUIRED" });
    await w.panelAccess.settled();
    const before = w.store.snapshot();
    expect(await w.panelAccess.listRememberedBrowsers({ sessionToken })).toEqual(refused);
    expect(await w.panelAccess.forgetRememberedBrowsers({ sessionToken })).toEqual(refused);
    expect(await w.panelAccess.countBackupCodes({ sessionToken })).toEqual(refused);
    expect(w.store.snapshot()).toEqual(before);
    const own = { sessionToken: session.sessionToken };
    expect((await w.panelAccess.validateSession(own))._unsafeUnwrap().method).toBe("local");
    expect(await w.panelAccess.listRememberedBrowsers(own)).toEqual(ok([]));
    expect((await w.panelAccess.countBackupCodes(own))._unsafeUnwrap().unused).toBe(10);
  });
});
