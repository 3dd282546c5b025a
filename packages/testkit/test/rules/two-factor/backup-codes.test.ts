import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { PASSWORD, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";
const LOGIN_FAILED = err({ type: "LOGIN_FAILED" });

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
