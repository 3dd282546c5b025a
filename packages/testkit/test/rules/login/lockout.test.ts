import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { failSecondFactor } from "../../support/sessions.js";
import {
  failLogins,
  lockAndReset,
  PASSWORD,
  statusIn,
  type World,
  worldWithPanel,
} from "../../support/world.js";

const PERSON = "person@example.com";
const WRONG = "not the password";
const NEW_PASSWORD = "a brand new passphrase";

/** Wrong passwords for `email` (the person by default), counts written. */
const failTimes = (w: World, times: number, email = PERSON) => failLogins(w, email, times);

describe("password step and lockout", () => {
  it("TFA-12, TFA-1: a correct password ends in a 10-minute challenge to set up the second factor", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const step = (
      await w.panelAccess.login({ email: " Person@Example.com", password: PASSWORD })
    )._unsafeUnwrap();
    if (step.next !== "secondFactorSetup") expect.fail(`expected setup, got ${step.next}`);
    expect(step.challenge).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(step.challengeExpiresAt.toISO()).toBe(w.clock.now().plus({ minutes: 10 }).toISO());
  });

  it("LCK-1: five wrong passwords in a row do not lock; the sixth does", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    await failTimes(w, 5);
    expect(await statusIn(w, PERSON)).toBe("active");
    await failTimes(w, 1);
    expect(await statusIn(w, PERSON)).toBe("locked");
  });

  it("LCK-1 v2: a correct password alone does not zero the count; a completed login does", async () => {
    const w = await worldWithPanel();
    await w.enrolled(PERSON);
    await failTimes(w, 5);
    await w.secondFactorStep(PERSON);
    await failTimes(w, 1);
    expect(await statusIn(w, PERSON)).toBe("locked");

    const other = "other@example.com";
    const enrolledOther = await w.enrolled(other);
    await failTimes(w, 5, other);
    const { challenge } = await w.secondFactorStep(other);
    w.clock.advance({ seconds: 30 });
    const code = enrolledOther.app.code();
    (await w.panelAccess.verifySecondFactor({ challenge, code }))._unsafeUnwrap();
    await failTimes(w, 5, other);
    expect(await statusIn(w, other)).toBe("active");
  });

  it("LCK-1 v2, LCK-6, LCK-2: password steps alternating with wrong codes lock at the sixth wrong code and e-mail the person", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const wrongCode = (challenge: string) => {
      const right = app.code();
      const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, "0");
      return w.panelAccess.verifySecondFactor({ challenge, code: wrong });
    };
    // The v1 attack: the password, five wrong codes, the password again, five more.
    let answered = 0;
    for (let round = 0; round < 2; round++) {
      const { challenge } = await w.secondFactorStep(PERSON);
      for (let guess = 0; guess < 5 && answered < 6; guess++) {
        expect(await wrongCode(challenge)).toEqual(err({ type: "LOGIN_FAILED" }));
        answered += 1;
      }
    }
    await w.panelAccess.settled();
    expect(answered).toBe(6);
    expect(await statusIn(w, PERSON)).toBe("locked");
    expect(w.mailer.last(PERSON, "accountLocked")).toBeDefined();
    expect(w.events.ofType("account.locked")).toHaveLength(1);
    // Locked: the right password no longer opens a challenge.
    expect(await w.panelAccess.login({ email: PERSON, password: PASSWORD })).toEqual(
      err({ type: "LOGIN_FAILED" }),
    );
  });

  it("LCK-2: locking e-mails a reset link that reopens the account", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    await failTimes(w, 6);
    await w.panelAccess.settled();
    const locked = w.mailer.last(PERSON, "accountLocked");
    expect(locked?.expiresAt.toISO()).toBe(w.clock.now().plus({ hours: 1 }).toISO());
    expect(locked?.resetLink).toMatch(/^https:\/\/app\.example\.test\/reset-password\?token=/);
    expect(w.events.ofType("account.locked")).toEqual([
      expect.objectContaining({ consecutiveLocks: 1 }),
    ]);
  });

  it("LCK-3: a locked account refuses the right password with the same answer as a wrong one", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    await failTimes(w, 6);
    const right = await w.panelAccess.login({ email: PERSON, password: PASSWORD });
    const wrong = await w.panelAccess.login({ email: PERSON, password: WRONG });
    expect(right).toEqual(err({ type: "LOGIN_FAILED" }));
    expect(wrong).toEqual(right);
    expect(
      w.events
        .ofType("login.failed")
        .slice(-2)
        .map((e) => e.reason),
    ).toEqual(["locked", "locked"]);
    expect(await statusIn(w, PERSON)).toBe("locked");
  });

  it("LCK-4: a reset unlocks and zeroes the count: five more failures do not lock again", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    await lockAndReset(w, PERSON, NEW_PASSWORD);
    expect(await statusIn(w, PERSON)).toBe("active");
    await failTimes(w, 5);
    expect(await statusIn(w, PERSON)).toBe("active");
    expect((await w.panelAccess.login({ email: PERSON, password: NEW_PASSWORD })).isOk()).toBe(
      true,
    );
  });

  it("LCK-6: wrong second factors count toward the same failure count as wrong passwords", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    await failTimes(w, 3);
    expect(await failSecondFactor(w, PERSON, app)).toBe("counted");
    expect(await failSecondFactor(w, PERSON, app)).toBe("counted");
    expect(await statusIn(w, PERSON)).toBe("active");
    expect(await failSecondFactor(w, PERSON, app)).toBe("locked");
    expect(await statusIn(w, PERSON)).toBe("locked");
    expect(w.events.ofType("login.failed").map((e) => e.reason)).toEqual([
      ...Array(3).fill("wrongPassword"),
      ...Array(3).fill("wrongSecondFactor"),
    ]);
  });
});
