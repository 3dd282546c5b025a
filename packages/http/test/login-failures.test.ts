import { describe, expect, it } from "vitest";
import { ADMIN, signedInSite, site } from "./harness.js";

const GENERIC = {
  error: {
    code: "LOGIN_FAILED",
    message: "That did not work. Check what you typed and try again.",
  },
};

describe("failed sign-in steps", () => {
  it("LCK-8: wrong password, unknown e-mail, malformed e-mail, bad code and a missing challenge cookie get one identical answer", async () => {
    const { s } = await signedInSite();
    const answers = [];
    answers.push(
      await s
        .browser()
        .send("POST", "/login", { email: ADMIN.email, password: "wrong password 1" }),
    );
    answers.push(
      await s
        .browser()
        .send("POST", "/login", { email: "nobody@example.test", password: ADMIN.password }),
    );
    answers.push(
      await s.browser().send("POST", "/login", { email: "not an e-mail", password: "x" }),
    );
    const withChallenge = s.browser();
    expect((await withChallenge.send("POST", "/login", ADMIN)).body.next).toBe("secondFactor");
    answers.push(await withChallenge.send("POST", "/login/second-factor", { code: "123456" }));
    answers.push(await s.browser().send("POST", "/login/second-factor", { code: "123456" }));
    answers.push(await s.browser().send("POST", "/login/setup", { code: "123456" }));
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(GENERIC);
      expect(
        answer.setCookies.some((c) => c.includes("pa_session=") && !/max-age=0/i.test(c)),
      ).toBe(false);
    }
  });

  it("LCK-3, LCK-8: a locked account answers the right password with the same LOGIN_FAILED", async () => {
    const s = await site();
    const browser = s.browser();
    for (let i = 0; i < 6; i++) {
      const wrong = await browser.send("POST", "/login", {
        ...ADMIN,
        password: `wrong guess ${i}`,
      });
      expect(wrong.body).toEqual(GENERIC);
      await s.panelAccess.settled();
    }
    expect(s.mailer.to(ADMIN.email, "accountLocked")).toHaveLength(1);
    const right = await browser.send("POST", "/login", ADMIN);
    expect(right.status).toBe(401);
    expect(right.body).toEqual(GENERIC);
  });

  it("LCK-6, LCK-1: wrong second-factor codes count toward the lock; once locked, the right password and code get the same LOGIN_FAILED", async () => {
    const { s, app } = await signedInSite();
    const browser = s.browser();
    for (let i = 0; i < 6; i++) {
      const login = await browser.send("POST", "/login", ADMIN);
      if (login.status !== 200) {
        expect(login.body).toEqual(GENERIC);
        break;
      }
      const wrong = await browser.send("POST", "/login/second-factor", { code: "000000" });
      expect(wrong.body).toEqual(GENERIC);
      await s.panelAccess.settled();
    }
    expect(s.mailer.to(ADMIN.email, "accountLocked")).toHaveLength(1);
    const fresh = s.browser();
    const login = await fresh.send("POST", "/login", ADMIN);
    expect(login.status).toBe(401);
    expect(login.body).toEqual(GENERIC);
    s.clock.advance({ seconds: 30 });
    const code = await fresh.send("POST", "/login/second-factor", { code: app.code() });
    expect(code.body).toEqual(GENERIC);
    expect(fresh.cookies.has("__Host-pa_session")).toBe(false);
  });

  it("LCK-9: TOO_MANY_ATTEMPTS carries Retry-After equal to error.retryAfterSeconds, and lifts with time", async () => {
    const s = await site({}, { throttle: { perAddress: { limit: 3, halfLife: { minutes: 10 } } } });
    const browser = s.browser();
    let refused: Awaited<ReturnType<typeof browser.send>> | undefined;
    for (let i = 0; i < 10 && refused === undefined; i++) {
      const answer = await browser.send("POST", "/login", {
        email: `someone${i}@example.test`,
        password: "wrong password",
      });
      if (answer.status === 429) refused = answer;
      else expect(answer.body).toEqual(GENERIC);
    }
    expect(refused?.body.error.code).toBe("TOO_MANY_ATTEMPTS");
    const seconds = refused?.body.error.retryAfterSeconds as number;
    expect(Number.isInteger(seconds) && seconds > 0).toBe(true);
    expect(refused?.headers.get("retry-after")).toBe(String(seconds));
    // The right password is not even checked while throttled.
    const blocked = await browser.send("POST", "/login", ADMIN);
    expect(blocked.status).toBe(429);
    s.clock.advance({ hours: 2 });
    const later = await browser.send("POST", "/login", ADMIN);
    expect(later.status).toBe(200);
    expect(later.body.next).toBe("secondFactorSetup");
  });
});
