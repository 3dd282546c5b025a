import type { Model } from "../state.js";
import { observe } from "../world/observe.js";
import type { Real } from "../world.js";
import { ModelCommand, outcomeOf, personOf, same, who } from "./command-kit.js";

/** LCK-5: only the support team lifts a permanent block; the person starts afresh. */
export class UnblockAccount extends ModelCommand {
  constructor(readonly person: number) {
    super();
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    let expected = "ok";
    if (!person.exists) expected = "ACCOUNT_NOT_FOUND";
    else if (!person.blocked) expected = "NOT_BLOCKED";
    else {
      person.blocked = false;
      person.locked = false;
      person.failures = 0;
      person.passwordKeptCount = false;
      person.locks = 0;
    }
    const result = await real.panelAccess.unblockAccount({
      actor: { type: "operator", operatorId: "support" },
      email: person.email,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    model.reached.add(`${this.constructor.name}: ${expected}`);
    await observe(model, real, [], this.toString());
  }
  toString() {
    return `unblockAccount(${who(this.person)})`;
  }
}
