import { ModelCommand, outcomeOf, personOf, same, who } from "./command-kit.js";
import { livePanelsOf, type Model, sessionUsable } from "./state.js";
import { observe, type Real } from "./world.js";

/** SES-1, SES-2, PNL-7: every session token the person ever got: valid or not, and what it reaches. */
export class CheckSessions extends ModelCommand {
  constructor(readonly person: number) {
    super();
  }
  override check(m: Readonly<Model>) {
    return (m.people[this.person]?.sessions.length ?? 0) > 0;
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    for (const [i, s] of p.sessions.entries()) {
      const usable = sessionUsable(p, s, m.now);
      const result = await r.panelAccess.validateSession({ sessionToken: s.token });
      same(outcomeOf(result), usable ? "ok" : "SESSION_INVALID", `${this}: session ${i}`);
      m.reached.add(`session: ${usable ? "valid" : "invalid"}`);
      if (result.isOk()) {
        s.lastUsedAt = m.now;
        const keys = result.value.panels.map(
          (l) => [...r.panelIds].find(([, id]) => id === l.panel.id)?.[0],
        );
        same(keys.sort(), livePanelsOf(p, m.now).sort(), `${this}: panels session ${i} reaches`);
      }
    }
    await observe(m, r, [], this.toString());
  }
  toString() {
    return `validateSession(every session of ${who(this.person)})`;
  }
}

/** SES-2: logout ends the newest session still open. */
export class Logout extends ModelCommand {
  constructor(readonly person: number) {
    super();
  }
  override check(m: Readonly<Model>) {
    return m.people[this.person]?.sessions.some((s) => !s.revoked) ?? false;
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const session = p.sessions.filter((s) => !s.revoked).at(-1);
    if (session === undefined) throw new Error("check() guarantees a session");
    session.revoked = true;
    const result = await r.panelAccess.logout({ sessionToken: session.token });
    same(outcomeOf(result), "ok", `${this}: outcome`);
    await observe(m, r, [], this.toString());
  }
  toString() {
    return `logout(${who(this.person)})`;
  }
}
