import { livePanelsOf, type Model, RULES, recordSessionUse, sessionUsable } from "../state.js";
import { observe } from "../world/observe.js";
import type { Real } from "../world.js";
import { ModelCommand, outcomeOf, personOf, same, who } from "./command-kit.js";

/**
 * SES-1, SES-2, SES-3, PNL-7: every session token the person ever got: valid
 * or not, and what it reaches; a valid one's use is recorded once a minute at most.
 */
export class CheckSessions extends ModelCommand {
  constructor(readonly person: number) {
    super();
  }
  override check(model: Readonly<Model>) {
    return (model.people[this.person]?.sessions.length ?? 0) > 0;
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    for (const [index, session] of person.sessions.entries()) {
      const usable = sessionUsable(person, session, model.now);
      const result = await real.panelAccess.validateSession({ sessionToken: session.token });
      same(outcomeOf(result), usable ? "ok" : "SESSION_INVALID", `${this}: session ${index}`);
      model.reached.add(`session: ${usable ? "valid" : "invalid"}`);
      // SES-3: idle counts from the recorded use, not from a later check that recorded nothing.
      if (
        !usable &&
        !session.revoked &&
        model.now >= session.lastUsedAt + RULES.sessionIdle &&
        model.now < session.lastSeenAt + RULES.sessionIdle
      ) {
        model.reached.add("session: idle end before 30 minutes after its last check (SES-3)");
      }
      if (result.isOk()) {
        const recordedBefore = session.lastUsedAt;
        recordSessionUse(session, model.now);
        model.reached.add(
          `session: use ${session.lastUsedAt === recordedBefore ? "not recorded (SES-3)" : "recorded"}`,
        );
        same(
          result.value.expiresAt.toMillis(),
          Math.min(
            session.lastUsedAt + RULES.sessionIdle,
            session.createdAt + RULES.sessionAbsolute,
          ),
          `${this}: end of session ${index} if unused (idle from the recorded use, SES-3)`,
        );
        const keys = result.value.panels.map(
          (livePanel) => [...real.panelIds].find(([, id]) => id === livePanel.panel.id)?.[0],
        );
        same(
          keys.sort(),
          livePanelsOf(person, model.now).sort(),
          `${this}: panels session ${index} reaches`,
        );
      }
    }
    await observe(model, real, [], this.toString());
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
  override check(model: Readonly<Model>) {
    return model.people[this.person]?.sessions.some((session) => !session.revoked) ?? false;
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    const session = person.sessions.filter((open) => !open.revoked).at(-1);
    if (session === undefined) throw new Error("check() guarantees a session");
    session.revoked = true;
    const result = await real.panelAccess.logout({ sessionToken: session.token });
    same(outcomeOf(result), "ok", `${this}: outcome`);
    await observe(model, real, [], this.toString());
  }
  toString() {
    return `logout(${who(this.person)})`;
  }
}
