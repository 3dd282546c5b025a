import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { PASSWORD, statusIn, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";
const LOGIN_FAILED = err({ type: "LOGIN_FAILED" });

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
