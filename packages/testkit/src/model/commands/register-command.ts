import { invitationRefusal, type Model } from "../state.js";
import { observe } from "../world/observe.js";
import type { Real } from "../world.js";
import { ModelCommand, outcomeOf, personOf, same, who } from "./command-kit.js";
import { newPassword } from "./login-kit.js";

/** ACC-6, ACC-4, ACC-8: register through the latest link, or an older one. */
export class Register extends ModelCommand {
  constructor(
    readonly person: number,
    readonly link: "latest" | "oldest",
  ) {
    super();
  }
  override check(model: Readonly<Model>) {
    return (model.people[this.person]?.invitations.length ?? 0) > 0;
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    const link = this.link === "latest" ? person.invitations.at(-1) : person.invitations[0];
    if (link === undefined) throw new Error("check() guarantees a link");
    const password = newPassword("chosen passphrase");
    const refusal = invitationRefusal(person, link, model.now);
    if (refusal === null) {
      link.used = true;
      person.registered = true;
      person.password = password;
    }
    model.reached.add(`register: ${refusal ?? "ok"}`);
    const result = await real.panelAccess.register({ token: link.token, password });
    same(outcomeOf(result), refusal ?? "ok", `${this}: outcome`);
    await observe(model, real, [], this.toString());
  }
  toString() {
    return `register(${who(this.person)}, ${this.link} link)`;
  }
}
