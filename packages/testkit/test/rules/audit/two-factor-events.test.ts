import { scan } from "@panel-access/testkit";
import { describe, expect, it } from "vitest";
import { PASSWORD, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";

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
