import { ModelCommand, outcomeOf, personOf, same, who } from "./command-kit.js";
import { newPassword } from "./login-kit.js";
import { invitationRefusal, type Model } from "./state.js";
import { observe, type Real } from "./world.js";

/** ACC-6, ACC-4, ACC-8: register through the latest link, or an older one. */
export class Register extends ModelCommand {
  constructor(
    readonly person: number,
    readonly link: "latest" | "oldest",
  ) {
    super();
  }
  override check(m: Readonly<Model>) {
    return (m.people[this.person]?.invitations.length ?? 0) > 0;
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const link = this.link === "latest" ? p.invitations.at(-1) : p.invitations[0];
    if (link === undefined) throw new Error("check() guarantees a link");
    const password = newPassword("chosen passphrase");
    const refusal = invitationRefusal(p, link, m.now);
    if (refusal === null) {
      link.used = true;
      p.registered = true;
      p.password = password;
    }
    m.reached.add(`register: ${refusal ?? "ok"}`);
    const result = await r.panelAccess.register({ token: link.token, password });
    same(outcomeOf(result), refusal ?? "ok", `${this}: outcome`);
    await observe(m, r, [], this.toString());
  }
  toString() {
    return `register(${who(this.person)}, ${this.link} link)`;
  }
}
