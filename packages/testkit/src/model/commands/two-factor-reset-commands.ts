import { administersEveryPanelOf, type Model, wipeTwoFactor } from "../state.js";
import { ADMINISTRATORS } from "../world/cast.js";
import type { ExpectedMail } from "../world/expected-mail.js";
import { observe } from "../world/observe.js";
import type { Real } from "../world.js";
import { ModelCommand, outcomeOf, personOf, same, who } from "./command-kit.js";

/**
 * TFA-8, TFA-8 v2, ACC-5: an administrator (the model picks which) resets a
 * member's 2FA: codes, browsers, challenges and sessions end; a notice names
 * the panel. Refused when the actor does not administer the panel, and, with
 * nothing changed, when the person holds live access to a panel the actor
 * does not administer (another organisation's): the support team does it.
 */
export class ResetTwoFactor extends ModelCommand {
  constructor(
    readonly person: number,
    readonly panel: string,
    readonly administrator: number,
  ) {
    super();
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    const administered = model.administrators[this.administrator] ?? [];
    let expected = "ok";
    const mail: ExpectedMail[] = [];
    if (!administered.includes(this.panel)) expected = "FORBIDDEN";
    else if (!person.exists) expected = "ACCOUNT_NOT_FOUND";
    else if (!person.memberships.has(this.panel)) expected = "MEMBERSHIP_NOT_FOUND";
    else if (!administersEveryPanelOf(person, administered))
      expected = "TWO_FACTOR_RESET_NEEDS_SUPPORT";
    else {
      wipeTwoFactor(person);
      mail.push({ kind: "twoFactorReset", to: person.email, panel: this.panel });
    }
    const result = await real.panelAccess.resetTwoFactor({
      actor: real.administrators[this.administrator] ?? real.admin,
      panelId: real.panelIds.get(this.panel) ?? "",
      email: person.email,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    model.reached.add(`${this.constructor.name}: ${expected}`);
    await observe(model, real, mail, this.toString());
  }
  toString() {
    return `resetTwoFactor(${who(this.person)} in ${this.panel}, by administrator ${this.administrator} of ${(ADMINISTRATORS[this.administrator] ?? []).join("+")})`;
  }
}

/**
 * TFA-8 v2: the support team (an operator, and only it) resets any account's
 * 2FA, whatever panels it reaches, with the effects of an administrator's
 * reset; the notice names no panel. An administrator asking here is refused.
 */
export class SupportResetTwoFactor extends ModelCommand {
  constructor(
    readonly person: number,
    readonly asker: "operator" | "administrator",
  ) {
    super();
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    let expected = "ok";
    const mail: ExpectedMail[] = [];
    if (this.asker !== "operator") expected = "FORBIDDEN";
    else if (!person.exists) expected = "ACCOUNT_NOT_FOUND";
    else {
      wipeTwoFactor(person);
      mail.push({ kind: "twoFactorReset", to: person.email, panel: null });
    }
    const result = await real.panelAccess.supportResetTwoFactor({
      actor: this.asker === "operator" ? { type: "operator", operatorId: "support" } : real.admin,
      email: person.email,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    model.reached.add(`${this.constructor.name}: ${expected}`);
    await observe(model, real, mail, this.toString());
  }
  toString() {
    return `supportResetTwoFactor(${who(this.person)}, asked by ${this.asker === "operator" ? "the support team" : "administrator 0"})`;
  }
}
