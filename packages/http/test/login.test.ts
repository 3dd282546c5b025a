import { describe, expect, it } from "vitest";
import { ADMIN, addRegisteredMember, signedInSite, signIn, signInAgain, site } from "./harness.js";

describe("POST /login, /login/setup, /login/second-factor", () => {
  it("TFA-1, TFA-12: the first login answers secondFactorSetup; the challenge is an HttpOnly cookie, never in the body", async () => {
    const s = await site();
    const browser = s.browser();
    const login = await browser.send("POST", "/login", ADMIN);
    expect(login.status).toBe(200);
    expect(login.body.next).toBe("secondFactorSetup");
    expect(login.body.setup.uri).toMatch(/^otpauth:\/\/totp\//);
    expect(login.body.setup.secret).toMatch(/^[A-Z2-7]+=*$/);
    expect(login.body.setup.qrSvg).toContain("<svg");
    expect(Date.parse(login.body.challengeExpiresAt)).toBeGreaterThan(s.clock.now().toMillis());
    const challenge = browser.cookies.get("__Host-pa_challenge");
    expect(challenge).toBeDefined();
    expect(JSON.stringify(login.body)).not.toContain(challenge);
    expect(login.setCookies.find((c) => c.startsWith("__Host-pa_challenge="))).toMatch(/HttpOnly/i);
    expect(browser.cookies.has("__Host-pa_session")).toBe(false);
    expect((await browser.send("GET", "/session")).status).toBe(401);
  });

  it("TFA-2, SES-1: setup with a current code signs in: session cookie, ten backup codes, the challenge cookie dropped", async () => {
    const s = await site();
    const browser = s.browser();
    const { setup } = await signIn(s, browser);
    expect(setup?.status).toBe(200);
    expect(setup?.body.backupCodes).toHaveLength(10);
    expect(setup?.body.rememberedBrowser).toBe(false);
    expect(setup?.body.backupCodesLeft).toBeNull();
    expect(Date.parse(setup?.body.expiresAt)).toBeGreaterThan(s.clock.now().toMillis());
    expect(browser.cookies.has("__Host-pa_challenge")).toBe(false);
    expect(browser.cookies.has("__Host-pa_session")).toBe(true);
    expect(JSON.stringify(setup?.body)).not.toContain(browser.cookies.get("__Host-pa_session"));
    expect((await browser.send("GET", "/session")).status).toBe(200);
  });

  it("TFA-2, LCK-8: setup with a wrong code fails with LOGIN_FAILED and signs nobody in", async () => {
    const s = await site();
    const browser = s.browser();
    const login = await browser.send("POST", "/login", ADMIN);
    expect(login.body.next).toBe("secondFactorSetup");
    const setup = await browser.send("POST", "/login/setup", { code: "000000" });
    expect(setup.status).toBe(401);
    expect(setup.body.error.code).toBe("LOGIN_FAILED");
    expect(browser.cookies.has("__Host-pa_session")).toBe(false);
  });

  it("TFA-3: a later login answers secondFactor; a current TOTP code signs in", async () => {
    const { s, app } = await signedInSite();
    const other = s.browser();
    const { login, second } = await signInAgain(s, other, app);
    expect(login.status).toBe(200);
    expect(login.body).toEqual({
      next: "secondFactor",
      challengeExpiresAt: expect.any(String),
    });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({
      expiresAt: expect.any(String),
      rememberedBrowser: false,
      backupCodesLeft: null,
    });
    expect(other.cookies.has("__Host-pa_challenge")).toBe(false);
    expect((await other.send("GET", "/session")).body.email).toBe(ADMIN.email);
  });

  it("TFA-10, TFA-12: a challenge is single use and a TOTP code is accepted once", async () => {
    const { s, app } = await signedInSite();
    const first = s.browser();
    await signInAgain(s, first, app);
    const second = s.browser();
    expect((await second.send("POST", "/login", ADMIN)).body.next).toBe("secondFactor");
    const replay = await second.send("POST", "/login/second-factor", { code: app.code() });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe("LOGIN_FAILED");
    expect((await second.send("GET", "/session")).status).toBe(401);
  });

  it("TFA-5: a backup code signs in once; backupCodesLeft counts down; the same code again fails", async () => {
    const { s, backupCodes } = await signedInSite();
    const code = backupCodes[0] as string;
    const b1 = s.browser();
    await b1.send("POST", "/login", ADMIN);
    const used = await b1.send("POST", "/login/second-factor", { code });
    expect(used.status).toBe(200);
    expect(used.body.backupCodesLeft).toBe(9);
    expect((await b1.send("GET", "/session")).status).toBe(200);
    const b2 = s.browser();
    await b2.send("POST", "/login", ADMIN);
    const again = await b2.send("POST", "/login/second-factor", { code });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe("LOGIN_FAILED");
    expect(b2.cookies.has("__Host-pa_session")).toBe(false);
  });

  it("TFA-7: a remembered browser's next login answers done at once; another browser is still asked", async () => {
    const { s, app } = await signedInSite();
    const remembered = s.browser();
    const { second } = await signInAgain(s, remembered, app, ADMIN, true);
    expect(second.status).toBe(200);
    expect(second.body.rememberedBrowser).toBe(true);
    expect(remembered.cookies.has("__Host-pa_browser")).toBe(true);
    await remembered.send("POST", "/logout");
    expect(remembered.cookies.has("__Host-pa_session")).toBe(false);

    const login = await remembered.send("POST", "/login", ADMIN);
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ next: "done", expiresAt: expect.any(String) });
    expect(remembered.cookies.has("__Host-pa_challenge")).toBe(false);
    expect((await remembered.send("GET", "/session")).status).toBe(200);

    const other = s.browser();
    expect((await other.send("POST", "/login", ADMIN)).body.next).toBe("secondFactor");
  });

  it("TFA-7: after 7 days the remembered browser is asked for the second factor again", async () => {
    const { s, app } = await signedInSite();
    const remembered = s.browser();
    await signInAgain(s, remembered, app, ADMIN, true);
    s.clock.advance({ days: 7, minutes: 1 });
    const login = await remembered.send("POST", "/login", ADMIN);
    expect(login.status).toBe(200);
    expect(login.body.next).toBe("secondFactor");
  });
});

describe("sign-in edge cases", () => {
  it("TFA-12: a challenge older than 10 minutes fails the second step with LOGIN_FAILED", async () => {
    const { s, app } = await signedInSite();
    const browser = s.browser();
    expect((await browser.send("POST", "/login", ADMIN)).body.next).toBe("secondFactor");
    s.clock.advance({ minutes: 10, seconds: 30 });
    const late = await browser.send("POST", "/login/second-factor", { code: app.code() });
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe("LOGIN_FAILED");
    expect(browser.cookies.has("__Host-pa_session")).toBe(false);
  });

  it("TFA-7: a browser remembered for one account does not skip the second factor of another", async () => {
    const { s, admin, app } = await signedInSite();
    const member = await addRegisteredMember(s, admin, "zoe@example.test", "editor");
    const shared = s.browser();
    await signInAgain(s, shared, app, ADMIN, true);
    expect(shared.cookies.has("__Host-pa_browser")).toBe(true);
    const login = await shared.send("POST", "/login", member.who);
    expect(login.status).toBe(200);
    expect(login.body.next).toBe("secondFactor");
  });

  it("SES-1: a session ends at its absolute limit (12 h) however often it is used", async () => {
    const { s, admin } = await signedInSite();
    for (let i = 0; i < 24; i++) {
      s.clock.advance({ minutes: 29 });
      expect((await admin.send("GET", "/session")).status).toBe(200);
    }
    s.clock.advance({ minutes: 29 });
    const ended = await admin.send("GET", "/session");
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe("SESSION_INVALID");
  });
});
