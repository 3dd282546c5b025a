import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { openSession } from "../../support/sessions.js";
import {
  failLogins,
  lockAndReset,
  PASSWORD,
  resetTokenOf,
  statusIn,
  type World,
  worldWithPanel,
} from "../../support/world.js";

const PERSON = "person@example.com";
const NEW_PASSWORD = "a brand new passphrase";
const OPERATOR = { type: "operator", operatorId: "support-1" } as const;

/** Wrong passwords for `email` (the person by default), counts written. */
const failTimes = (w: World, times: number, email = PERSON) => failLogins(w, email, times);

describe("password step and lockout", () => {
  it("LCK-1 v2, LCK-5: the guessing attack cannot go on past three locks: the account is blocked", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    for (let lock = 0; lock < 3; lock++) {
      for (let guess = 0; guess < 6; guess++) {
        const step = await w.panelAccess.login({
          email: PERSON,
          password: lock === 0 ? PASSWORD : NEW_PASSWORD,
        });
        if (step.isErr()) expect.fail(`lock ${lock}, guess ${guess}: the password step failed`);
        if (step.value.next !== "secondFactor") expect.fail("expected a second factor");
        const right = app.code();
        const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
        await w.panelAccess.verifySecondFactor({ challenge: step.value.challenge, code: wrong });
      }
      await w.panelAccess.settled();
      if (lock < 2) {
        expect(await statusIn(w, PERSON)).toBe("locked");
        const reset = await w.panelAccess.resetPassword({
          token: resetTokenOf(w, PERSON),
          password: NEW_PASSWORD,
        });
        expect(reset.isOk()).toBe(true);
      }
    }
    expect(await statusIn(w, PERSON)).toBe("permanentlyBlocked");
    expect(w.mailer.last(PERSON, "accountBlocked")).toBeDefined();
  });

  it("LCK-5: the third lock in a row, with resets in between, blocks permanently and e-mails 'contact support'", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    await lockAndReset(w, PERSON, NEW_PASSWORD);
    await lockAndReset(w, PERSON, "second new passphrase");
    expect(await statusIn(w, PERSON)).toBe("active");
    await failTimes(w, 6);
    await w.panelAccess.settled();
    expect(await statusIn(w, PERSON)).toBe("permanentlyBlocked");
    expect(w.mailer.to(PERSON, "accountBlocked")).toHaveLength(1);
    expect(w.mailer.to(PERSON, "accountLocked")).toHaveLength(2);
    expect(w.events.ofType("account.permanentlyBlocked")).toHaveLength(1);
  });

  it("LCK-5: a complete login ends the lock row", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    await lockAndReset(w, PERSON, NEW_PASSWORD);
    await lockAndReset(w, PERSON, "second new passphrase");
    await openSession(w, PERSON, "second new passphrase"); // password and second factor passed
    await lockAndReset(w, PERSON, "third new passphrase");
    expect(await statusIn(w, PERSON)).toBe("active");
  });

  it("LCK-5: a blocked account refuses every password, gets no reset link, and its old link is refused", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    await lockAndReset(w, PERSON, NEW_PASSWORD);
    await lockAndReset(w, PERSON, "second new passphrase");
    await failTimes(w, 5);
    (await w.panelAccess.forgotPassword({ email: PERSON }))._unsafeUnwrap();
    await w.panelAccess.settled();
    const pendingLink = resetTokenOf(w, PERSON);
    await failTimes(w, 1);
    expect(await w.panelAccess.login({ email: PERSON, password: "second new passphrase" })).toEqual(
      err({ type: "LOGIN_FAILED" }),
    );
    const resetsBefore = w.mailer.to(PERSON, "passwordReset").length;
    (await w.panelAccess.forgotPassword({ email: PERSON }))._unsafeUnwrap();
    await w.panelAccess.settled();
    expect(w.mailer.to(PERSON, "passwordReset")).toHaveLength(resetsBefore);
    expect(
      await w.panelAccess.resetPassword({ token: pendingLink, password: NEW_PASSWORD }),
    ).toEqual(err({ type: "ACCOUNT_BLOCKED" }));
    expect(await statusIn(w, PERSON)).toBe("permanentlyBlocked");
  });

  it("LCK-5: only the support team lifts a permanent block; the person starts afresh", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    await lockAndReset(w, PERSON, NEW_PASSWORD);
    await lockAndReset(w, PERSON, "second new passphrase");
    await failTimes(w, 6);
    for (const actor of [w.admin, { type: "system" } as const]) {
      expect(await w.panelAccess.unblockAccount({ actor, email: PERSON })).toEqual(
        err({ type: "FORBIDDEN" }),
      );
    }
    expect((await w.panelAccess.unblockAccount({ actor: OPERATOR, email: PERSON })).isOk()).toBe(
      true,
    );
    expect(w.events.ofType("account.unblocked")).toEqual([
      expect.objectContaining({ actor: OPERATOR }),
    ]);
    expect(await statusIn(w, PERSON)).toBe("active");
    expect(
      (await w.panelAccess.login({ email: PERSON, password: "second new passphrase" })).isOk(),
    ).toBe(true);
    expect(await w.panelAccess.unblockAccount({ actor: OPERATOR, email: PERSON })).toEqual(
      err({ type: "NOT_BLOCKED" }),
    );
  });
});
