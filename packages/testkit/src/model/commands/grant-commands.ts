import type { AddMemberInput, Grant, ReinviteMemberInput } from "@panel-access/core";
import type { Result } from "neverthrow";
import {
  invitationExpiry,
  isLive,
  type Model,
  type ModelAccess,
  type ModelPerson,
} from "../state.js";
import { administratorOf } from "../world/cast.js";
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

const ROLE = "analyst";

/**
 * ACC-1, ACC-2 v2, ACC-2b, PNL-3: grant access. An unregistered person gets
 * an invitation; a registered one whose access here had ended (or who is
 * re-invited) is told it is restored; a registered one with no membership
 * here (new, or removed before) gets an "access granted" notice (MAIL-3); a
 * live membership only changed tells nobody.
 */
function grant(
  person: ModelPerson,
  panel: string,
  access: ReturnType<typeof modelAccess>,
  now: number,
  tellRegistered: "always" | "whenEnded",
  grantedBy: string,
): { notice: string; mail: ExpectedMail[] } {
  const previous = person.memberships.get(panel);
  const wasLive = previous !== undefined && isLive(previous.access, now);
  person.exists = true;
  person.memberships.set(panel, { role: ROLE, access });
  const to = person.email;
  if (!person.registered) {
    const expiresAt = invitationExpiry(person, now) ?? now;
    return { notice: "invitation", mail: [{ kind: "invitation", to, expiresAt }] };
  }
  if (tellRegistered === "always" || (previous !== undefined && !wasLive)) {
    return { notice: "accessRestored", mail: [{ kind: "accessRestored", to, panel }] };
  }
  if (previous === undefined) {
    return {
      notice: "accessGranted",
      mail: [{ kind: "accessGranted", to, panel, grantedBy }],
    };
  }
  return { notice: "none", mail: [] };
}

type GrantInput = AddMemberInput & ReinviteMemberInput;

/** What addMember and reinviteMember share: a grant, predicted, made, and compared. */
abstract class GrantCommand extends ModelCommand {
  constructor(
    readonly person: number,
    readonly panel: string,
    readonly access: AccessSpec,
  ) {
    super();
  }
  /** Whom a registered person's grant tells (PNL-3). */
  protected abstract readonly tellRegistered: "always" | "whenEnded";
  /** The refusal that comes before any change, or `null`. */
  protected abstract refusal(person: ModelPerson, access: ModelAccess, now: number): string | null;
  protected abstract call(
    real: Real,
    input: GrantInput,
  ): PromiseLike<Result<Grant, { readonly type: string }>>;

  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    const access = modelAccess(this.access, model.now);
    const expected = this.refusal(person, access, model.now) ?? "ok";
    const grantedBy = real.administratorEmails[administratorOf(model, this.panel)] ?? "";
    const predicted =
      expected === "ok"
        ? grant(person, this.panel, access, model.now, this.tellRegistered, grantedBy)
        : { notice: "", mail: [] };
    const result = await this.call(real, {
      actor: actorFor(model, real, this.panel),
      panelId: real.panelIds.get(this.panel) ?? "",
      email: person.email,
      role: ROLE,
      access: realAccess(access),
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    model.reached.add(`${this.constructor.name}: ${expected}`);
    if (result.isOk()) {
      real.accountIds.set(person.email, result.value.accountId);
      same(result.value.notice, predicted.notice, `${this}: notice`);
      model.reached.add(`${this.constructor.name}: notice ${result.value.notice}`);
    }
    await observe(model, real, predicted.mail, this.toString());
  }
}

/** ACC-1, ACC-2, ACC-2b: an administrator adds a person (or updates the membership). */
export class AddMember extends GrantCommand {
  protected readonly tellRegistered = "whenEnded";
  protected refusal(_person: ModelPerson, access: ModelAccess, now: number) {
    return isLive(access, now) ? null : "ACCESS_END_NOT_IN_FUTURE";
  }
  protected async call(
    real: Real,
    input: GrantInput,
  ): Promise<Result<Grant, { readonly type: string }>> {
    return await real.panelAccess.addMember(input);
  }
  toString() {
    return `addMember(${who(this.person)} → ${this.panel}, ${describeAccess(this.access)})`;
  }
}

/** PNL-3, PNL-5: restores ended or removed access; refused while it is live. */
export class ReinviteMember extends GrantCommand {
  protected readonly tellRegistered = "always";
  protected refusal(person: ModelPerson, access: ModelAccess, now: number) {
    const current = person.memberships.get(this.panel);
    if (current !== undefined && isLive(current.access, now)) return "ACCESS_STILL_LIVE";
    return isLive(access, now) ? null : "ACCESS_END_NOT_IN_FUTURE";
  }
  protected async call(
    real: Real,
    input: GrantInput,
  ): Promise<Result<Grant, { readonly type: string }>> {
    return await real.panelAccess.reinviteMember(input);
  }
  toString() {
    return `reinviteMember(${who(this.person)} → ${this.panel}, ${describeAccess(this.access)})`;
  }
}
