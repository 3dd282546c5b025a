import { scan } from "@panel-access/testkit";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";
const LOGIN_FAILED = err({ type: "LOGIN_FAILED" });

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
