import { ModelCommand, outcomeOf, personOf, same, who } from "./command-kit.js";
import { failureMail, WRONG_PASSWORD } from "./login-kit.js";
import { countFailure, type Model, type ModelPerson, sessionUsable } from "./state.js";
import { type ExpectedMail, observe, type Real } from "./world.js";

/** The session a person's settings page would use: the newest still open, else the newest. */
function settingsSession(p: ModelPerson) {
  return p.sessions.filter((s) => !s.revoked).at(-1) ?? p.sessions.at(-1);
}

/** TFA-6, LCK-1: new backup codes after the password; the old set stops working. A wrong password counts. */
export class RegenerateBackupCodes extends ModelCommand {
  constructor(
    readonly person: number,
    readonly rightPassword: boolean,
  ) {
    super();
  }
  override check(m: Readonly<Model>) {
    return (m.people[this.person]?.sessions.length ?? 0) > 0;
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const session = settingsSession(p);
    if (session === undefined) throw new Error("check() guarantees a session");
    let expected = "SESSION_INVALID";
    let mail: ExpectedMail[] = [];
    if (sessionUsable(p, session, m.now)) {
      expected = this.rightPassword ? "ok" : "LOGIN_FAILED";
      if (!this.rightPassword) mail = failureMail(p, countFailure(p), m.now, m);
    }
    const result = await r.panelAccess.regenerateBackupCodes({
      sessionToken: session.token,
      password: this.rightPassword ? (p.password ?? "") : WRONG_PASSWORD,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    m.reached.add(`regenerateBackupCodes: ${expected}`);
    if (result.isOk()) {
      p.backupCodes = result.value.backupCodes.map((code) => ({ code, used: false }));
      mail = [{ kind: "backupCodesRegenerated", to: p.email }]; // MAIL-3
    }
    await observe(m, r, mail, this.toString());
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
  override check(m: Readonly<Model>) {
    return (m.people[this.person]?.sessions.length ?? 0) > 0;
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const session = settingsSession(p);
    if (session === undefined) throw new Error("check() guarantees a session");
    const newest = p.browsers.filter((b) => !b.forgotten).at(-1);
    const one = this.which === "newest" && newest !== undefined;
    const usable = sessionUsable(p, session, m.now);
    if (usable) for (const b of one ? [newest] : p.browsers) b.forgotten = true;
    const browserId = one ? newest.token.split(".")[0] : undefined;
    const result = await r.panelAccess.forgetRememberedBrowsers({
      sessionToken: session.token,
      ...(browserId && { browserId }),
    });
    same(outcomeOf(result), usable ? "ok" : "SESSION_INVALID", `${this}: outcome`);
    m.reached.add(`forgetBrowsers: ${usable ? "ok" : "SESSION_INVALID"}`);
    await observe(m, r, [], this.toString());
  }
  toString() {
    return `forgetRememberedBrowsers(${who(this.person)}, ${this.which})`;
  }
}
