import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { PASSWORD, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";
const LOGIN_FAILED = err({ type: "LOGIN_FAILED" });

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
