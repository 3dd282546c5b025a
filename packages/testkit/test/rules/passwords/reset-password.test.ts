import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { openSession } from "../../support/sessions.js";
import { countingHasher, PASSWORD, resetTokenOf, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";
const NEW_PASSWORD = "a brand new passphrase";

describe("forgot and reset password", () => {
  it("PWD-2: forgot password answers the same for registered, unregistered and unknown e-mails; only the registered get a link", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    await w.invite("unregistered@example.com");
    const answers = await Promise.all(
      [PERSON, "unregistered@example.com", "nobody@example.com"].map((email) =>
        w.panelAccess.forgotPassword({ email }),
      ),
    );
    expect(answers.map((a) => a._unsafeUnwrap())).toEqual([undefined, undefined, undefined]);
    await w.panelAccess.settled();
    expect(w.mailer.to(PERSON, "passwordReset")).toHaveLength(1);
    expect(w.mailer.to("unregistered@example.com", "passwordReset")).toHaveLength(0);
    expect(w.mailer.to("nobody@example.com")).toHaveLength(0);
  });

  it("PWD-3: a reset link works 1 ms before one hour and is refused at one hour", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const sentAt = w.clock.now();
    await w.panelAccess.forgotPassword({ email: PERSON });
    await w.panelAccess.settled();
    const token = resetTokenOf(w, PERSON);
    w.clock.set(sentAt.plus({ hours: 1 }).minus({ milliseconds: 1 }));
    expect((await w.panelAccess.inspectPasswordReset({ token }))._unsafeUnwrap().email).toBe(
      PERSON,
    );
    w.clock.set(sentAt.plus({ hours: 1 }));
    expect(await w.panelAccess.resetPassword({ token, password: NEW_PASSWORD })).toEqual(
      err({ type: "RESET_LINK_EXPIRED", expiredAt: sentAt.plus({ hours: 1 }) }),
    );
  });

  it("PWD-3: only the latest reset link works, and only once", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    await w.panelAccess.forgotPassword({ email: PERSON });
    await w.panelAccess.settled();
    const first = resetTokenOf(w, PERSON);
    await w.panelAccess.forgotPassword({ email: PERSON });
    await w.panelAccess.settled();
    const latest = resetTokenOf(w, PERSON);
    expect(await w.panelAccess.resetPassword({ token: first, password: NEW_PASSWORD })).toEqual(
      err({ type: "RESET_LINK_SUPERSEDED" }),
    );
    expect(
      (await w.panelAccess.resetPassword({ token: latest, password: NEW_PASSWORD })).isOk(),
    ).toBe(true);
    expect(
      (
        await w.panelAccess.resetPassword({ token: latest, password: "yet another one" })
      )._unsafeUnwrapErr().type,
    ).toBe("RESET_LINK_USED");
    expect((await w.panelAccess.login({ email: PERSON, password: NEW_PASSWORD })).isOk()).toBe(
      true,
    );
    expect(await w.panelAccess.login({ email: PERSON, password: PASSWORD })).toEqual(
      err({ type: "LOGIN_FAILED" }),
    );
  });

  it("ACC-9: checking a reset link never consumes it", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    await w.panelAccess.forgotPassword({ email: PERSON });
    await w.panelAccess.settled();
    const token = resetTokenOf(w, PERSON);
    for (let i = 0; i < 3; i++)
      expect((await w.panelAccess.inspectPasswordReset({ token })).isOk()).toBe(true);
    expect((await w.panelAccess.resetPassword({ token, password: NEW_PASSWORD })).isOk()).toBe(
      true,
    );
  });

  it("PWD-3: a forged or unknown reset token changes nothing and costs no hash", async () => {
    const counting = countingHasher();
    const w = await worldWithPanel({ passwordHasher: counting.hasher });
    await w.member(PERSON);
    const before = w.store.snapshot();
    const hashesBefore = counting.hashed.length;
    const forged = `${"A".repeat(22)}.${"B".repeat(43)}`;
    expect(await w.panelAccess.resetPassword({ token: forged, password: NEW_PASSWORD })).toEqual(
      err({ type: "RESET_LINK_UNKNOWN" }),
    );
    expect(w.store.snapshot()).toEqual(before);
    expect(counting.hashed).toHaveLength(hashesBefore);
  });

  it("PWD-4: a completed reset ends every session", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const sessions = [await openSession(w, PERSON), await openSession(w, PERSON)];
    await w.panelAccess.login({ email: PERSON, password: PASSWORD });
    await w.panelAccess.forgotPassword({ email: PERSON });
    await w.panelAccess.settled();
    (
      await w.panelAccess.resetPassword({ token: resetTokenOf(w, PERSON), password: NEW_PASSWORD })
    )._unsafeUnwrap();
    for (const { sessionToken } of sessions) {
      expect(await w.panelAccess.validateSession({ sessionToken })).toEqual(
        err({ type: "SESSION_INVALID" }),
      );
    }
    expect(w.events.ofType("sessions.revoked")).toEqual([
      expect.objectContaining({ reason: "passwordReset", sessionIds: expect.any(Array) }),
    ]);
    expect(w.events.ofType("sessions.revoked")[0]?.sessionIds).toHaveLength(2);
  });
});
