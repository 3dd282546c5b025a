import { countFailure, type Model, type ModelPerson, sessionUsable } from "../state.js";
import type { ExpectedMail } from "../world/expected-mail.js";
import { observe } from "../world/observe.js";
import type { Real } from "../world.js";
import { ModelCommand, outcomeOf, personOf, same, who } from "./command-kit.js";
import { failureMail, WRONG_PASSWORD } from "./login-kit.js";

/** The session a person's settings page would use: the newest still open, else the newest. */
function settingsSession(person: ModelPerson) {
  return person.sessions.filter((session) => !session.revoked).at(-1) ?? person.sessions.at(-1);
}

/** TFA-6, LCK-1: new backup codes after the password; the old set stops working. A wrong password counts. */
export class RegenerateBackupCodes extends ModelCommand {
  constructor(
    readonly person: number,
    readonly rightPassword: boolean,
  ) {
    super();
  }
  override check(model: Readonly<Model>) {
    return (model.people[this.person]?.sessions.length ?? 0) > 0;
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    const session = settingsSession(person);
    if (session === undefined) throw new Error("check() guarantees a session");
    let expected = "SESSION_INVALID";
    let mail: ExpectedMail[] = [];
    if (sessionUsable(person, session, model.now)) {
      expected = this.rightPassword ? "ok" : "LOGIN_FAILED";
      if (!this.rightPassword) mail = failureMail(person, countFailure(person), model.now, model);
    }
    const result = await real.panelAccess.regenerateBackupCodes({
      sessionToken: session.token,
      password: this.rightPassword ? (person.password ?? "") : WRONG_PASSWORD,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    model.reached.add(`regenerateBackupCodes: ${expected}`);
    if (result.isOk()) {
      person.backupCodes = result.value.backupCodes.map((code) => ({ code, used: false }));
      mail = [{ kind: "backupCodesRegenerated", to: person.email }]; // MAIL-3
    }
    await observe(model, real, mail, this.toString());
  }
  toString() {
    return `regenerateBackupCodes(${who(this.person)}, ${this.rightPassword ? "right" : "wrong"} password)`;
  }
}

/** TFA-13: forget the newest remembered browser, or all of them; they stop skipping the code. */
export class ForgetBrowsers extends ModelCommand {
  constructor(
    readonly person: number,
    readonly which: "newest" | "all",
  ) {
    super();
  }
  override check(model: Readonly<Model>) {
    return (model.people[this.person]?.sessions.length ?? 0) > 0;
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    const session = settingsSession(person);
    if (session === undefined) throw new Error("check() guarantees a session");
    const newest = person.browsers.filter((browser) => !browser.forgotten).at(-1);
    const one = this.which === "newest" && newest !== undefined;
    const usable = sessionUsable(person, session, model.now);
    if (usable) for (const browser of one ? [newest] : person.browsers) browser.forgotten = true;
    const browserId = one ? newest.token.split(".")[0] : undefined;
    const result = await real.panelAccess.forgetRememberedBrowsers({
      sessionToken: session.token,
      ...(browserId && { browserId }),
    });
    same(outcomeOf(result), usable ? "ok" : "SESSION_INVALID", `${this}: outcome`);
    model.reached.add(`forgetBrowsers: ${usable ? "ok" : "SESSION_INVALID"}`);
    await observe(model, real, [], this.toString());
  }
  toString() {
    return `forgetRememberedBrowsers(${who(this.person)}, ${this.which})`;
  }
}
