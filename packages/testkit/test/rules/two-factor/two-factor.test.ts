import { scan } from "@panel-access/testkit";
import { err, ok } from "neverthrow";
import { describe, expect, it } from "vitest";
import { PASSWORD, statusIn, tokenOf, type World, worldWithPanel } from "../../support/world.js";

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

describe("two-factor setup", () => {
  it("TFA-1: the first login after registration asks for setup with an otpauth URI and a QR code made locally", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const step = await w.passwordStep(PERSON);
    if (step.next !== "secondFactorSetup") expect.fail(step.next);
    const uri = new URL(step.setup.uri);
    expect(`${uri.protocol}//${uri.host}`).toBe("otpauth://totp");
    expect(decodeURIComponent(uri.pathname)).toBe(`/Panel Access:${PERSON}`);
    expect(uri.searchParams.get("algorithm")).toBe("SHA1");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
    expect(uri.searchParams.get("issuer")).toBe("Panel Access");
    expect(step.setup.secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits in base32
    expect(uri.searchParams.get("secret")).toBe(step.setup.secret);
    expect(step.setup.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const dataUrl = await step.setup.renderQrPng();
    expect(dataUrl.startsWith("data:image/png;base64,")).toBe(true);
    const png = Buffer.from(dataUrl.replace("data:image/png;base64,", ""), "base64");
    expect(png.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
  });

  it("TFA-2: a valid current code completes the setup, shows 10 backup codes once and opens a session", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const step = await w.passwordStep(PERSON);
    if (step.next !== "secondFactorSetup") expect.fail(step.next);
    const app = scan(step.setup.uri, w.clock);
    const done = (
      await w.panelAccess.completeTwoFactorSetup({ challenge: step.challenge, code: app.code() })
    )._unsafeUnwrap();
    expect(done.backupCodes).toHaveLength(10);
    for (const code of done.backupCodes)
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(new Set(done.backupCodes).size).toBe(10);
    expect((await w.panelAccess.validateSession(done.session)).isOk()).toBe(true);
    expect(w.events.ofType("twoFactor.enrolled")).toHaveLength(1);
  });

  it("TFA-2, LCK-6: a wrong code at setup completes nothing and counts as a failure", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const step = await w.passwordStep(PERSON);
    if (step.next !== "secondFactorSetup") expect.fail(step.next);
    const app = scan(step.setup.uri, w.clock);
    const wrong = app.code() === "000000" ? "111111" : "000000";
    expect(
      await w.panelAccess.completeTwoFactorSetup({ challenge: step.challenge, code: wrong }),
    ).toEqual(LOGIN_FAILED);
    expect(w.events.ofType("login.failed").at(-1)?.reason).toBe("wrongSecondFactor");
    expect(
      (
        await w.panelAccess.completeTwoFactorSetup({ challenge: step.challenge, code: app.code() })
      ).isOk(),
    ).toBe(true);
  });

  it("TFA-11: the TOTP secret is stored sealed, never in the clear", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const step = await w.passwordStep(PERSON);
    if (step.next !== "secondFactorSetup") expect.fail(step.next);
    const stored = JSON.stringify(w.store.snapshot());
    expect(stored).not.toContain(step.setup.secret);
    expect(stored).toMatch(/"sealedSecret":"v1\.test\.[\w-]+\.[\w-]+\.[\w-]+"/);
  });
});

describe("second step", () => {
  it("TFA-3: every later login asks for a code after the password; a TOTP code completes it", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const step = await w.secondFactorStep(PERSON);
    const done = (
      await w.panelAccess.verifySecondFactor({ challenge: step.challenge, code: app.code() })
    )._unsafeUnwrap();
    expect(done.backupCodesLeft).toBeNull();
    expect((await w.panelAccess.validateSession(done.session)).isOk()).toBe(true);
  });

  it("TFA-3: spaces a person types are stripped; letters in a TOTP code, wrong lengths and huge input are refused as bad input", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const step = await w.secondFactorStep(PERSON);
    for (const code of ["12345", "1234567", "12a456", "", "1".repeat(100_000), "１２３４５６"]) {
      const result = await w.panelAccess.verifySecondFactor({ challenge: step.challenge, code });
      expect(result._unsafeUnwrapErr().type, code.slice(0, 10)).toBe("INVALID_INPUT");
    }
    const spaced = app.code().replace(/(\d{3})/, "$1 ");
    expect(
      (
        await w.panelAccess.verifySecondFactor({ challenge: step.challenge, code: ` ${spaced} ` })
      ).isOk(),
    ).toBe(true);
  });

  it("TFA-4: codes of any RFC 6238 app work: the scripted authenticator knows only the URI", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    for (let day = 0; day < 3; day++) {
      w.clock.advance({ days: 1 });
      const step = await w.secondFactorStep(PERSON);
      expect(
        (
          await w.panelAccess.verifySecondFactor({ challenge: step.challenge, code: app.code() })
        ).isOk(),
      ).toBe(true);
    }
  });

  it("TFA-10: a code one step off is accepted, two steps off is refused; the window is configurable", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    w.clock.advance({ seconds: 60 }); // the setup accepted its own step; drift back to a fresh one
    let step = await w.passwordStep(PERSON);
    if (step.next !== "secondFactor") expect.fail(step.next);
    expect(
      await w.panelAccess.verifySecondFactor({ challenge: step.challenge, code: app.code(-2) }),
    ).toEqual(LOGIN_FAILED);
    expect(
      await w.panelAccess.verifySecondFactor({ challenge: step.challenge, code: app.code(2) }),
    ).toEqual(LOGIN_FAILED);
    expect(
      (
        await w.panelAccess.verifySecondFactor({ challenge: step.challenge, code: app.code(-1) })
      ).isOk(),
    ).toBe(true);

    const strict = await worldWithPanel({
      twoFactor: { encryptionKeys: [{ id: "k", key: Buffer.alloc(32, 7) }], window: 0 },
    });
    const enrolled = await strict.enrolled(PERSON);
    step = await strict.passwordStep(PERSON);
    if (step.next !== "secondFactor") expect.fail(step.next);
    expect(
      await strict.panelAccess.verifySecondFactor({
        challenge: step.challenge,
        code: enrolled.app.code(1),
      }),
    ).toEqual(LOGIN_FAILED);
  });

  it("TFA-10: a code is accepted once: the same code on a second login is refused as a replay, and counted", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const first = await w.secondFactorStep(PERSON);
    const second = await w.secondFactorStep(PERSON);
    const code = app.code();
    expect(
      (await w.panelAccess.verifySecondFactor({ challenge: first.challenge, code })).isOk(),
    ).toBe(true);
    expect(await w.panelAccess.verifySecondFactor({ challenge: second.challenge, code })).toEqual(
      LOGIN_FAILED,
    );
    expect(w.events.ofType("login.failed").at(-1)?.reason).toBe("wrongSecondFactor");
    w.clock.advance({ seconds: 30 });
    expect(
      (
        await w.panelAccess.verifySecondFactor({ challenge: second.challenge, code: app.code() })
      ).isOk(),
    ).toBe(true);
  });

  it("TFA-10: an older code is refused after a newer one was accepted", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const first = await w.secondFactorStep(PERSON);
    const second = await w.secondFactorStep(PERSON);
    expect(
      (
        await w.panelAccess.verifySecondFactor({ challenge: first.challenge, code: app.code(1) })
      ).isOk(),
    ).toBe(true);
    expect(
      await w.panelAccess.verifySecondFactor({ challenge: second.challenge, code: app.code(0) }),
    ).toEqual(LOGIN_FAILED);
  });

  it("TFA-12: the challenge works 1 ms before 10 minutes and not at 10 minutes, and only once", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const step = await w.secondFactorStep(PERSON);
    w.clock.set(step.challengeExpiresAt);
    expect(
      await w.panelAccess.verifySecondFactor({ challenge: step.challenge, code: app.code() }),
    ).toEqual(LOGIN_FAILED);
    const again = await w.secondFactorStep(PERSON);
    w.clock.set(again.challengeExpiresAt.minus({ milliseconds: 1 }));
    expect(
      (
        await w.panelAccess.verifySecondFactor({ challenge: again.challenge, code: app.code() })
      ).isOk(),
    ).toBe(true);
    w.clock.advance({ seconds: 30 });
    expect(
      await w.panelAccess.verifySecondFactor({ challenge: again.challenge, code: app.code() }),
    ).toEqual(LOGIN_FAILED);
  });

  it("TFA-12: the code is checked against the challenge, never an e-mail: a forged challenge changes nothing", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const step = await w.secondFactorStep(PERSON);
    const before = w.store.snapshot();
    const forged = `${step.challenge.split(".")[0]}.${"A".repeat(43)}`;
    expect(await w.panelAccess.verifySecondFactor({ challenge: forged, code: app.code() })).toEqual(
      LOGIN_FAILED,
    );
    expect(w.store.snapshot()).toEqual(before);
  });

  it("PWD-4, TFA-12: a password reset ends open login challenges", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const step = await w.secondFactorStep(PERSON);
    await w.panelAccess.forgotPassword({ email: PERSON });
    await w.panelAccess.settled();
    const reset = w.mailer.last(PERSON, "passwordReset");
    const token = new URL(reset?.link ?? "https://x").searchParams.get("token") ?? "";
    (await w.panelAccess.resetPassword({ token, password: "a new passphrase" }))._unsafeUnwrap();
    expect(
      await w.panelAccess.verifySecondFactor({ challenge: step.challenge, code: app.code() }),
    ).toEqual(LOGIN_FAILED);
  });

  it("LCK-6: wrong codes count toward the lock; the sixth locks the account and e-mails a reset link", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const step = await w.secondFactorStep(PERSON);
    const wrong = app.code() === "000000" ? "111111" : "000000";
    for (let i = 0; i < 6; i++) {
      expect(
        await w.panelAccess.verifySecondFactor({ challenge: step.challenge, code: wrong }),
      ).toEqual(LOGIN_FAILED);
    }
    await w.panelAccess.settled();
    expect(await statusIn(w, PERSON)).toBe("locked");
    expect(w.mailer.to(PERSON, "accountLocked")).toHaveLength(1);
    expect(
      await w.panelAccess.verifySecondFactor({ challenge: step.challenge, code: app.code() }),
    ).toEqual(LOGIN_FAILED);
  });

  it("LCK-5: a complete login with the second factor ends the lock row", async () => {
    const w = await worldWithPanel({ lockoutThreshold: 1, locksBeforePermanentBlock: 2 });
    const { app } = await w.enrolled(PERSON);
    await w.panelAccess.login({ email: PERSON, password: "wrong password" });
    await w.panelAccess.settled();
    const reset = w.mailer.last(PERSON, "accountLocked");
    const token = new URL(reset?.resetLink ?? "https://x").searchParams.get("token") ?? "";
    (await w.panelAccess.resetPassword({ token, password: PASSWORD }))._unsafeUnwrap();
    const step = await w.secondFactorStep(PERSON);
    (
      await w.panelAccess.verifySecondFactor({ challenge: step.challenge, code: app.code() })
    )._unsafeUnwrap();
    await w.panelAccess.login({ email: PERSON, password: "wrong password" });
    expect(await statusIn(w, PERSON)).toBe("locked");
  });
});

describe("backup codes", () => {
  it("TFA-5: a backup code completes a login once; the person is told how many are left", async () => {
    const w = await worldWithPanel();
    const { backupCodes } = await w.enrolled(PERSON);
    const code = backupCodes[3] ?? "";
    const first = await w.secondFactorStep(PERSON);
    const done = (
      await w.panelAccess.verifySecondFactor({
        challenge: first.challenge,
        code: code.toLowerCase(),
      })
    )._unsafeUnwrap();
    expect(done.backupCodesLeft).toBe(9);
    const second = await w.secondFactorStep(PERSON);
    expect(await w.panelAccess.verifySecondFactor({ challenge: second.challenge, code })).toEqual(
      LOGIN_FAILED,
    );
    const session = done.session;
    expect((await w.panelAccess.countBackupCodes(session))._unsafeUnwrap()).toEqual({ unused: 9 });
  });

  it("TFA-5: backup codes are stored only as hashes, one record per code", async () => {
    const w = await worldWithPanel();
    const { backupCodes } = await w.enrolled(PERSON);
    const snapshot = w.store.snapshot() as { backupCodes: unknown[] };
    const stored = JSON.stringify(snapshot);
    expect(snapshot.backupCodes).toHaveLength(10);
    for (const code of backupCodes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replaceAll("-", ""));
    }
  });

  it("TFA-6: new backup codes need the password again; the old set stops working at once", async () => {
    const w = await worldWithPanel();
    const { backupCodes, session } = await w.enrolled(PERSON);
    expect(
      await w.panelAccess.regenerateBackupCodes({ ...session, password: "not my password" }),
    ).toEqual(LOGIN_FAILED);
    expect(w.events.ofType("login.failed").at(-1)?.reason).toBe("wrongPassword");
    const fresh = (
      await w.panelAccess.regenerateBackupCodes({ ...session, password: PASSWORD })
    )._unsafeUnwrap();
    expect(fresh.backupCodes).toHaveLength(10);
    const step = await w.secondFactorStep(PERSON);
    expect(
      await w.panelAccess.verifySecondFactor({
        challenge: step.challenge,
        code: backupCodes[0] ?? "",
      }),
    ).toEqual(LOGIN_FAILED);
    const done = await w.panelAccess.verifySecondFactor({
      challenge: step.challenge,
      code: fresh.backupCodes[0] ?? "",
    });
    expect(done._unsafeUnwrap().backupCodesLeft).toBe(9);
  });
});

describe("remembered browsers", () => {
  it("TFA-7: a remembered browser skips the second factor for 7 days; another browser is asked", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const step = await w.secondFactorStep(PERSON);
    const done = (
      await w.panelAccess.verifySecondFactor({
        challenge: step.challenge,
        code: app.code(),
        rememberBrowser: true,
      })
    )._unsafeUnwrap();
    const token = done.rememberedBrowser?.rememberedBrowserToken ?? "";
    expect(done.rememberedBrowser?.expiresAt.toISO()).toBe(w.clock.now().plus({ days: 7 }).toISO());
    expect(JSON.stringify(w.store.snapshot())).not.toContain(token.split(".")[1]);

    const remembered = await w.passwordStep(PERSON, token);
    if (remembered.next !== "done") expect.fail(remembered.next);
    expect((await w.panelAccess.validateSession(remembered.session)).isOk()).toBe(true);
    expect((await w.passwordStep(PERSON)).next).toBe("secondFactor");

    w.clock.set(done.rememberedBrowser?.expiresAt.minus({ milliseconds: 1 }) ?? w.clock.now());
    expect((await w.passwordStep(PERSON, token)).next).toBe("done");
    w.clock.advance({ milliseconds: 1 });
    expect((await w.passwordStep(PERSON, token)).next).toBe("secondFactor");
  });

  it("TFA-7: a remembered-browser token never skips the password, and another account's token is not accepted", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const other = await w.enrolled("other@example.com");
    const step = await w.secondFactorStep("other@example.com");
    const done = (
      await w.panelAccess.verifySecondFactor({
        challenge: step.challenge,
        code: other.app.code(),
        rememberBrowser: true,
      })
    )._unsafeUnwrap();
    const othersToken = done.rememberedBrowser?.rememberedBrowserToken ?? "";
    expect((await w.passwordStep(PERSON, othersToken)).next).toBe("secondFactor");
    expect(
      await w.panelAccess.login({
        email: "other@example.com",
        password: "wrong",
        rememberedBrowserToken: othersToken,
      }),
    ).toEqual(LOGIN_FAILED);
    expect(app.code()).toMatch(/^\d{6}$/);
  });

  it("TFA-7: a malformed remembered-browser cookie is ignored: the code is asked, the login is not refused", async () => {
    const w = await worldWithPanel();
    await w.enrolled(PERSON);
    for (const cookie of ["garbage", "", "a.b", 42, "x".repeat(5000)]) {
      const step = await w.panelAccess.login({
        email: PERSON,
        password: PASSWORD,
        rememberedBrowserToken: cookie as string,
      });
      expect(step._unsafeUnwrap().next).toBe("secondFactor");
    }
  });

  it("TFA-13: a person lists remembered browsers with label and times, and forgets one or all", async () => {
    const w = await worldWithPanel();
    const { app, session } = await w.enrolled(PERSON);
    const tokens: string[] = [];
    for (const label of ["Firefox on Linux", "Safari on iPhone"]) {
      const step = await w.secondFactorStep(PERSON);
      const done = await w.panelAccess.verifySecondFactor({
        challenge: step.challenge,
        code: app.code(),
        rememberBrowser: true,
        browserLabel: label,
      });
      tokens.push(done._unsafeUnwrap().rememberedBrowser?.rememberedBrowserToken ?? "");
      w.clock.advance({ seconds: 30 });
    }
    const listed = (await w.panelAccess.listRememberedBrowsers(session))._unsafeUnwrap();
    expect(listed.map((b) => b.label)).toEqual(["Safari on iPhone", "Firefox on Linux"]);
    expect(listed[0]?.lastUsedAt).toBeDefined();
    const firefox = listed.find((b) => b.label === "Firefox on Linux");
    (
      await w.panelAccess.forgetRememberedBrowsers({ ...session, browserId: firefox?.id ?? "" })
    )._unsafeUnwrap();
    expect((await w.passwordStep(PERSON, tokens[0])).next).toBe("secondFactor");
    expect((await w.passwordStep(PERSON, tokens[1])).next).toBe("done");
    expect((await w.panelAccess.forgetRememberedBrowsers(session))._unsafeUnwrap()).toEqual({
      forgotten: 1,
    });
    expect((await w.passwordStep(PERSON, tokens[1])).next).toBe("secondFactor");
  });

  it("TFA-13: forgetting another account's browser is refused and changes nothing", async () => {
    const w = await worldWithPanel();
    const mine = await w.enrolled(PERSON);
    const other = await w.enrolled("other@example.com");
    const step = await w.secondFactorStep("other@example.com");
    await w.panelAccess.verifySecondFactor({
      challenge: step.challenge,
      code: other.app.code(),
      rememberBrowser: true,
    });
    const [theirs] = (await w.panelAccess.listRememberedBrowsers(other.session))._unsafeUnwrap();
    const before = w.store.snapshot();
    const result = await w.panelAccess.forgetRememberedBrowsers({
      ...mine.session,
      browserId: theirs?.id ?? "x",
    });
    expect(result).toEqual(err({ type: "REMEMBERED_BROWSER_NOT_FOUND" }));
    expect(w.store.snapshot()).toEqual(before);
  });
});

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

describe("audit of two-factor flows", () => {
  it("AUD-1: 2FA events name what happened and never carry a secret, a backup code or a token", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const setupStep = await w.passwordStep(PERSON);
    if (setupStep.next !== "secondFactorSetup") expect.fail(setupStep.next);
    const app = scan(setupStep.setup.uri, w.clock);
    const setupCode = app.code();
    const done = (
      await w.panelAccess.completeTwoFactorSetup({
        challenge: setupStep.challenge,
        code: setupCode,
        rememberBrowser: true,
      })
    )._unsafeUnwrap();
    w.clock.advance({ seconds: 30 });
    const step = await w.secondFactorStep(PERSON);
    const backup = done.backupCodes[0] ?? "";
    await w.panelAccess.verifySecondFactor({ challenge: step.challenge, code: backup });
    await w.panelAccess.resetTwoFactor({ actor: w.admin, panelId: w.panelId, email: PERSON });
    await w.panelAccess.settled();

    const types = w.events.events.map((e) => e.type);
    for (const type of [
      "twoFactor.enrolled",
      "backupCodes.issued",
      "rememberedBrowser.created",
      "backupCode.used",
      "twoFactor.reset",
    ]) {
      expect(types).toContain(type);
    }
    const serialised = JSON.stringify(w.events.events);
    const secrets = [
      setupStep.setup.secret,
      setupStep.challenge.split(".")[1],
      ...done.backupCodes,
      ...done.backupCodes.map((c) => c.replaceAll("-", "")),
      done.session.sessionToken.split(".")[1],
      done.rememberedBrowser?.rememberedBrowserToken.split(".")[1],
      PASSWORD,
    ];
    for (const secret of secrets) expect(serialised).not.toContain(secret);
  });
});
