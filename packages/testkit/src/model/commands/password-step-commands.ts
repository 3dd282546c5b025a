import { completeLogin, countFailure, type Model, RULES, statusOf } from "../state.js";
import type { ExpectedMail } from "../world/expected-mail.js";
import { observe } from "../world/observe.js";
import type { Real } from "../world.js";
import { addSession, ModelCommand, outcomeOf, personOf, same, who } from "./command-kit.js";
import { failureMail, WRONG_PASSWORD } from "./login-kit.js";
import { ResetPassword } from "./password-reset-commands.js";

/** LCK-1 to LCK-8, TFA-1, TFA-3, TFA-7: the password step. */
export class Login extends ModelCommand {
  constructor(
    readonly person: number,
    readonly rightPassword: boolean,
    readonly browser: "none" | "latest" | "oldest",
  ) {
    super();
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    const browser =
      this.browser === "none"
        ? undefined
        : this.browser === "latest"
          ? person.browsers.at(-1)
          : person.browsers[0];
    const password = this.rightPassword
      ? (person.password ?? "never registered").normalize("NFKC")
      : WRONG_PASSWORD;
    let expected = "LOGIN_FAILED";
    let next: string | null = null;
    let mail: ExpectedMail[] = [];
    if (person.exists && statusOf(person, model.now) === "active") {
      if (!this.rightPassword) mail = failureMail(person, countFailure(person), model.now, model);
      else {
        expected = "ok";
        // LCK-1 v2: the count stays until the login completes.
        if (person.failures > 0) person.passwordKeptCount = true;
        if (
          person.twoFactor === "enrolled" &&
          browser !== undefined &&
          !browser.forgotten &&
          model.now < browser.expiresAt
        )
          next = "done";
        else next = person.twoFactor === "enrolled" ? "secondFactor" : "secondFactorSetup";
      }
    }
    const result = await real.panelAccess.login({
      email: person.email,
      password,
      ...(browser && { rememberedBrowserToken: browser.token }),
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    if (result.isOk()) {
      const step = result.value;
      same(step.next, next, `${this}: what comes next`);
      model.reached.add(`login: ${step.next}`);
      if (step.next === "done") {
        completeLogin(person);
        addSession(person, step.session.sessionToken, model.now);
      } else {
        const stage = step.next === "secondFactorSetup" ? "setup" : "verify";
        person.challenges.push({
          token: step.challenge,
          expiresAt: model.now + RULES.challengeValidity,
          used: false,
          stage,
        });
        same(
          step.challengeExpiresAt.toMillis(),
          model.now + RULES.challengeValidity,
          `${this}: challenge expiry`,
        );
        if (step.next === "secondFactorSetup") {
          person.twoFactor = "pending";
          person.totpUri = step.setup.uri;
        }
      }
    }
    await observe(model, real, mail, this.toString());
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
  async run(model: Model, real: Real) {
    for (let i = 0; i < this.count; i++)
      await new Login(this.person, false, "none").run(model, real);
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
  async run(model: Model, real: Real) {
    await new WrongPasswords(this.person, RULES.lockoutThreshold).run(model, real);
    if ((model.people[this.person]?.resets.length ?? 0) > 0)
      await new ResetPassword(this.person, "latest").run(model, real);
  }
  toString() {
    return `lockAndReset(${who(this.person)}: 6 wrong passwords, then the latest reset link)`;
  }
}
