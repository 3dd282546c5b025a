import { addSession, ModelCommand, outcomeOf, personOf, same, who } from "./command-kit.js";
import { failureMail, WRONG_PASSWORD } from "./login-kit.js";
import { ResetPassword } from "./password-reset-commands.js";
import { completeLogin, countFailure, type Model, RULES, statusOf } from "./state.js";
import { type ExpectedMail, observe, type Real } from "./world.js";

/** LCK-1 to LCK-8, TFA-1, TFA-3, TFA-7: the password step. */
export class Login extends ModelCommand {
  constructor(
    readonly person: number,
    readonly rightPassword: boolean,
    readonly browser: "none" | "latest" | "oldest",
  ) {
    super();
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const browser =
      this.browser === "none"
        ? undefined
        : this.browser === "latest"
          ? p.browsers.at(-1)
          : p.browsers[0];
    const password = this.rightPassword
      ? (p.password ?? "never registered").normalize("NFKC")
      : WRONG_PASSWORD;
    let expected = "LOGIN_FAILED";
    let next: string | null = null;
    let mail: ExpectedMail[] = [];
    if (p.exists && statusOf(p, m.now) === "active") {
      if (!this.rightPassword) mail = failureMail(p, countFailure(p), m.now, m);
      else {
        expected = "ok";
        // LCK-1 v2: the count stays until the login completes.
        if (p.failures > 0) p.passwordKeptCount = true;
        if (
          p.twoFactor === "enrolled" &&
          browser !== undefined &&
          !browser.forgotten &&
          m.now < browser.expiresAt
        )
          next = "done";
        else next = p.twoFactor === "enrolled" ? "secondFactor" : "secondFactorSetup";
      }
    }
    const result = await r.panelAccess.login({
      email: p.email,
      password,
      ...(browser && { rememberedBrowserToken: browser.token }),
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    if (result.isOk()) {
      const step = result.value;
      same(step.next, next, `${this}: what comes next`);
      m.reached.add(`login: ${step.next}`);
      if (step.next === "done") {
        completeLogin(p);
        addSession(p, step.session.sessionToken, m.now);
      } else {
        const stage = step.next === "secondFactorSetup" ? "setup" : "verify";
        p.challenges.push({
          token: step.challenge,
          expiresAt: m.now + RULES.challengeValidity,
          used: false,
          stage,
        });
        same(
          step.challengeExpiresAt.toMillis(),
          m.now + RULES.challengeValidity,
          `${this}: challenge expiry`,
        );
        if (step.next === "secondFactorSetup") {
          p.twoFactor = "pending";
          p.totpUri = step.setup.uri;
        }
      }
    }
    await observe(m, r, mail, this.toString());
  }
  toString() {
    const browser = this.browser === "none" ? "" : `, ${this.browser} remembered browser`;
    return `login(${who(this.person)}, ${this.rightPassword ? "right" : "wrong"} password${browser})`;
  }
}

/** LCK-1, LCK-2, LCK-5, LCK-7: `count` wrong passwords in a row (a guesser at work). */
export class WrongPasswords extends ModelCommand {
  constructor(
    readonly person: number,
    readonly count: number,
  ) {
    super();
  }
  async run(m: Model, r: Real) {
    for (let i = 0; i < this.count; i++) await new Login(this.person, false, "none").run(m, r);
  }
  toString() {
    return `${this.count} × login(${who(this.person)}, wrong password)`;
  }
}

/** LCK-2, LCK-4, LCK-5: locked by six wrong passwords, then reopened through the latest reset link (a row of locks). */
export class LockAndReset extends ModelCommand {
  constructor(readonly person: number) {
    super();
  }
  async run(m: Model, r: Real) {
    await new WrongPasswords(this.person, RULES.lockoutThreshold).run(m, r);
    if ((m.people[this.person]?.resets.length ?? 0) > 0)
      await new ResetPassword(this.person, "latest").run(m, r);
  }
  toString() {
    return `lockAndReset(${who(this.person)}: 6 wrong passwords, then the latest reset link)`;
  }
}
