import { invitationExpiry, isLive, type Model } from "../state.js";
import type { ExpectedMail } from "../world/expected-mail.js";
import { observe } from "../world/observe.js";
import type { Real } from "../world.js";
import {
  type AccessSpec,
  actorFor,
  describeAccess,
  ModelCommand,
  modelAccess,
  outcomeOf,
  personOf,
  realAccess,
  same,
  who,
} from "./command-kit.js";

/** ACC-7, ACC-4: a new invitation for an unregistered member; older links die. */
export class ResendInvitation extends ModelCommand {
  constructor(
    readonly person: number,
    readonly panel: string,
  ) {
    super();
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    const membership = person.memberships.get(this.panel);
    const mail: ExpectedMail[] = [];
    let expected = "ok";
    if (!person.exists) expected = "ACCOUNT_NOT_FOUND";
    else if (membership === undefined) expected = "MEMBERSHIP_NOT_FOUND";
    else if (person.registered) expected = "ALREADY_REGISTERED";
    else if (!isLive(membership.access, model.now)) expected = "ACCESS_ENDED";
    else
      mail.push({
        kind: "invitation",
        to: person.email,
        expiresAt: invitationExpiry(person, model.now) ?? model.now,
      });
    const result = await real.panelAccess.resendInvitation({
      actor: actorFor(model, real, this.panel),
      panelId: real.panelIds.get(this.panel) ?? "",
      email: person.email,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    model.reached.add(`${this.constructor.name}: ${expected}`);
    await observe(model, real, mail, this.toString());
  }
  toString() {
    return `resendInvitation(${who(this.person)} → ${this.panel})`;
  }
}

/** PNL-2, PNL-3: edit live access; ended access cannot be edited. */
export class ChangeAccess extends ModelCommand {
  constructor(
    readonly person: number,
    readonly panel: string,
    readonly access: AccessSpec,
  ) {
    super();
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    const access = modelAccess(this.access, model.now);
    const membership = person.memberships.get(this.panel);
    let expected = "ok";
    if (!person.exists) expected = "ACCOUNT_NOT_FOUND";
    else if (membership === undefined) expected = "MEMBERSHIP_NOT_FOUND";
    else if (!isLive(membership.access, model.now)) expected = "ACCESS_ENDED";
    else if (!isLive(access, model.now)) expected = "ACCESS_END_NOT_IN_FUTURE";
    else person.memberships.set(this.panel, { ...membership, access });
    const result = await real.panelAccess.changeAccess({
      actor: actorFor(model, real, this.panel),
      panelId: real.panelIds.get(this.panel) ?? "",
      email: person.email,
      access: realAccess(access),
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    model.reached.add(`${this.constructor.name}: ${expected}`);
    await observe(model, real, [], this.toString());
  }
  toString() {
    return `changeAccess(${who(this.person)} → ${this.panel}, ${describeAccess(this.access)})`;
  }
}

/** PNL-4: removes one membership; the account stays. */
export class RemoveMember extends ModelCommand {
  constructor(
    readonly person: number,
    readonly panel: string,
  ) {
    super();
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    let expected = "ok";
    if (!person.exists) expected = "ACCOUNT_NOT_FOUND";
    else if (!person.memberships.has(this.panel)) expected = "MEMBERSHIP_NOT_FOUND";
    else person.memberships.delete(this.panel);
    const result = await real.panelAccess.removeMember({
      actor: actorFor(model, real, this.panel),
      panelId: real.panelIds.get(this.panel) ?? "",
      email: person.email,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    model.reached.add(`${this.constructor.name}: ${expected}`);
    await observe(model, real, [], this.toString());
  }
  toString() {
    return `removeMember(${who(this.person)} ✕ ${this.panel})`;
  }
}
