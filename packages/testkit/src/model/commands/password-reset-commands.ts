import { afterPasswordReset, type Model, RULES, resetRefusal, revokeSessions } from "../state.js";
import { type ExpectedMail, resetExpiry } from "../world/expected-mail.js";
import { observe } from "../world/observe.js";
import type { Real } from "../world.js";
import { ModelCommand, outcomeOf, personOf, same, who } from "./command-kit.js";
import { newPassword } from "./login-kit.js";

/** PWD-2: a reset link for a registered account that is not blocked; the same answer for everyone. */
export class ForgotPassword extends ModelCommand {
  constructor(readonly person: number) {
    super();
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    // PWD-5: links issued in the last window (a lock's link too) count; past the limit nothing is sent.
    const since = model.now - RULES.resetLimitWindow;
    const recent = person.resets.filter(
      (link) => link.expiresAt - RULES.resetValidity >= since,
    ).length;
    const mail: ExpectedMail[] =
      person.exists && person.registered && !person.blocked && recent < RULES.resetLimit
        ? [{ kind: "passwordReset", to: person.email, expiresAt: resetExpiry(model.now) }]
        : [];
    if (person.exists && person.registered && !person.blocked && recent >= RULES.resetLimit) {
      model.reached.add("PWD-5: reset mail limited");
    }
    const result = await real.panelAccess.forgotPassword({ email: person.email });
    same(outcomeOf(result), "ok", `${this}: outcome`);
    await observe(model, real, mail, this.toString());
  }
  toString() {
    return `forgotPassword(${who(this.person)})`;
  }
}

/** PWD-3, PWD-4, LCK-4, LCK-5: a new password through the latest reset link, or an older one. */
export class ResetPassword extends ModelCommand {
  constructor(
    readonly person: number,
    readonly link: "latest" | "oldest",
  ) {
    super();
  }
  override check(model: Readonly<Model>) {
    return (model.people[this.person]?.resets.length ?? 0) > 0;
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    const link = this.link === "latest" ? person.resets.at(-1) : person.resets[0];
    if (link === undefined) throw new Error("check() guarantees a link");
    const password = newPassword("new passphrase");
    const refusal = resetRefusal(person, link, model.now);
    const mail: ExpectedMail[] = [];
    if (refusal === null) {
      link.used = true;
      person.password = password;
      afterPasswordReset(person);
      for (const challenge of person.challenges) challenge.used = true;
      revokeSessions(person);
      mail.push({ kind: "passwordChanged", to: person.email }); // MAIL-3
    }
    model.reached.add(`reset: ${refusal ?? "ok"}`);
    const result = await real.panelAccess.resetPassword({ token: link.token, password });
    same(outcomeOf(result), refusal ?? "ok", `${this}: outcome`);
    await observe(model, real, mail, this.toString());
  }
  toString() {
    return `resetPassword(${who(this.person)}, ${this.link} link)`;
  }
}
