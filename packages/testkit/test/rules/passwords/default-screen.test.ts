import { createOfflinePasswordScreen } from "@panel-access/core";
import { testTwoFactorOptions } from "@panel-access/testkit";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, PASSWORD, stateOf, worldWithPanel } from "../../support/world.js";

const PERSON = "jane.doe@brightwater.test";
const STRONG = "tangerine lighthouse under snow";

describe("password screening (PWD-6)", () => {
  it("PWD-6: registration refuses common passwords and their trivial variants as `common`; nothing changes and the link still works", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    for (const password of ["password", "12345678", "Password1!", "P@ssw0rd", "QWERTY123456"]) {
      const before = stateOf(w);
      expect(await w.panelAccess.register({ token: token ?? "", password }), password).toEqual(
        err({ type: "PASSWORD_TOO_COMMON", reason: "common" }),
      );
      expect(stateOf(w), password).toEqual(before);
    }
    (await w.panelAccess.register({ token: token ?? "", password: STRONG }))._unsafeUnwrap();
    const step = (await w.panelAccess.login({ email: PERSON, password: STRONG }))._unsafeUnwrap();
    expect(step.next).toBe("secondFactorSetup");
  });

  it("PWD-6: a password built from the person's own e-mail (local part, domain) or the product's name is refused as `contextual`", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    const built = [
      "jane.doe", // the local part
      "JaneDoe2024!", // the local part, in other case, with a year and a symbol
      "doe-jane-1987",
      "brightwater", // the domain name
      "Brightwater.test",
      "jane.doe@brightwater.test", // the whole e-mail
      "Panel Access", // the product's name (`twoFactor.issuer`)
      "p4n3l4cc3ss!",
    ];
    for (const password of built) {
      const before = stateOf(w);
      expect(await w.panelAccess.register({ token: token ?? "", password }), password).toEqual(
        err({ type: "PASSWORD_TOO_COMMON", reason: "contextual" }),
      );
      expect(stateOf(w), password).toEqual(before);
    }
    // The words may appear in a password that has more to it.
    (
      await w.panelAccess.register({ token: token ?? "", password: "jane rows across brightwater" })
    )._unsafeUnwrap();
  });

  it("PWD-6: the product's name is `twoFactor.issuer`; the default screen takes more context words", async () => {
    const w = await worldWithPanel({
      twoFactor: { ...testTwoFactorOptions(), issuer: "Orbital Desk" },
      passwordScreen: createOfflinePasswordScreen({ contextWords: ["Brightline Holdings"] }),
    });
    const { token } = await w.invite(PERSON);
    for (const password of ["OrbitalDesk1", "orbital desk 2026", "brightline holdings"]) {
      expect(await w.panelAccess.register({ token: token ?? "", password }), password).toEqual(
        err({ type: "PASSWORD_TOO_COMMON", reason: "contextual" }),
      );
    }
    // "Panel Access" is no longer the product's name here.
    (
      await w.panelAccess.register({ token: token ?? "", password: "PanelAccess!" })
    )._unsafeUnwrap();
  });

  it("PWD-6: one short run repeated is refused as `repetitive`", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    for (const password of [
      "aaaaaaaa",
      "abcabcabc",
      "12121212",
      "xyzwxyzwxyzw",
      "😀😀😀😀😀😀😀😀",
    ]) {
      expect(await w.panelAccess.register({ token: token ?? "", password }), password).toEqual(
        err({ type: "PASSWORD_TOO_COMMON", reason: "repetitive" }),
      );
    }
  });

  it("PWD-6: a product name or context word of several words is screened word by word; invisible format characters do not hide a word", async () => {
    const screen = createOfflinePasswordScreen({ contextWords: ["Acme Holdings"] });
    const context = { email: "person@example.com", productName: "Panel Access" };
    for (const password of ["Panel-Access-2026", "Holdings2024!", "pass\u00adword1"]) {
      const v = await screen.screen(password, context);
      expect(v.accepted, password).toBe(false);
    }
    expect((await screen.screen("violet harbour lantern", context)).accepted).toBe(true);
  });

  it("PWD-6: the default screen catches case, spaces, affixes and leetspeak, and accepts passphrases", async () => {
    const screen = createOfflinePasswordScreen();
    const context = { email: "person@example.com", productName: "Panel Access" };
    const verdict = async (password: string) => {
      const v = await screen.screen(password, context);
      return v.accepted ? "accepted" : v.reason;
    };
    for (const password of [
      "PASSWORD",
      "pass word",
      "password 123456",
      "!!password",
      "dr@g0n2024",
      "5unsh1ne!",
      "Summer2024!",
      "iloveyou",
    ]) {
      expect(await verdict(password), password).toBe("common");
    }
    for (const password of [
      PASSWORD,
      ADMIN_PASSWORD,
      STRONG,
      "tree8472916305", // a word, then more digits than a trivial suffix
      "83920174",
      "x7Kq9person",
    ]) {
      expect(await verdict(password), password).toBe("accepted");
    }
  });
});
