import type { AddMemberInput, Grant, ReinviteMemberInput } from "@panel-access/core";
import type { Result } from "neverthrow";
import {
  type AccessSpec,
  describeAccess,
  ModelCommand,
  modelAccess,
  outcomeOf,
  personOf,
  realAccess,
  same,
  who,
} from "./command-kit.js";
import {
  administersEveryPanelOf,
  invitationExpiry,
  isLive,
  type Model,
  type ModelAccess,
  type ModelPerson,
  wipeTwoFactor,
} from "./state.js";
import { ADMINISTRATORS, administratorOf, type ExpectedMail, observe, type Real } from "./world.js";

const ROLE = "analyst";

/**
 * ACC-1, ACC-2 v2, ACC-2b, PNL-3: grant access. An unregistered person gets
 * an invitation; a registered one whose access here had ended (or who is
 * re-invited) is told it is restored; a registered one with no membership
 * here (new, or removed before) gets an "access granted" notice (MAIL-3); a
 * live membership only changed tells nobody.
 */
function grant(
  p: ModelPerson,
  panel: string,
  access: ReturnType<typeof modelAccess>,
  now: number,
  tellRegistered: "always" | "whenEnded",
  grantedBy: string,
): { notice: string; mail: ExpectedMail[] } {
  const previous = p.memberships.get(panel);
  const wasLive = previous !== undefined && isLive(previous.access, now);
  p.exists = true;
  p.memberships.set(panel, { role: ROLE, access });
  const to = p.email;
  if (!p.registered) {
    const expiresAt = invitationExpiry(p, now) ?? now;
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

/** The actor the model's administrative commands use for a panel: its first administrator. */
function actorFor(m: Readonly<Model>, r: Real, panel: string) {
  return r.administrators[administratorOf(m, panel)] ?? r.admin;
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
  protected abstract refusal(p: ModelPerson, access: ModelAccess, now: number): string | null;
  protected abstract call(
    r: Real,
    input: GrantInput,
  ): PromiseLike<Result<Grant, { readonly type: string }>>;

  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const access = modelAccess(this.access, m.now);
    const expected = this.refusal(p, access, m.now) ?? "ok";
    const grantedBy = r.administratorEmails[administratorOf(m, this.panel)] ?? "";
    const predicted =
      expected === "ok"
        ? grant(p, this.panel, access, m.now, this.tellRegistered, grantedBy)
        : { notice: "", mail: [] };
    const result = await this.call(r, {
      actor: actorFor(m, r, this.panel),
      panelId: r.panelIds.get(this.panel) ?? "",
      email: p.email,
      role: ROLE,
      access: realAccess(access),
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    m.reached.add(`${this.constructor.name}: ${expected}`);
    if (result.isOk()) {
      r.accountIds.set(p.email, result.value.accountId);
      same(result.value.notice, predicted.notice, `${this}: notice`);
      m.reached.add(`${this.constructor.name}: notice ${result.value.notice}`);
    }
    await observe(m, r, predicted.mail, this.toString());
  }
}

/** ACC-1, ACC-2, ACC-2b: an administrator adds a person (or updates the membership). */
export class AddMember extends GrantCommand {
  protected readonly tellRegistered = "whenEnded";
  protected refusal(_p: ModelPerson, access: ModelAccess, now: number) {
    return isLive(access, now) ? null : "ACCESS_END_NOT_IN_FUTURE";
  }
  protected async call(
    r: Real,
    input: GrantInput,
  ): Promise<Result<Grant, { readonly type: string }>> {
    return await r.panelAccess.addMember(input);
  }
  toString() {
    return `addMember(${who(this.person)} → ${this.panel}, ${describeAccess(this.access)})`;
  }
}

/** ACC-7, ACC-4: a new invitation for an unregistered member; older links die. */
export class ResendInvitation extends ModelCommand {
  constructor(
    readonly person: number,
    readonly panel: string,
  ) {
    super();
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const membership = p.memberships.get(this.panel);
    const mail: ExpectedMail[] = [];
    let expected = "ok";
    if (!p.exists) expected = "ACCOUNT_NOT_FOUND";
    else if (membership === undefined) expected = "MEMBERSHIP_NOT_FOUND";
    else if (p.registered) expected = "ALREADY_REGISTERED";
    else if (!isLive(membership.access, m.now)) expected = "ACCESS_ENDED";
    else
      mail.push({
        kind: "invitation",
        to: p.email,
        expiresAt: invitationExpiry(p, m.now) ?? m.now,
      });
    const result = await r.panelAccess.resendInvitation({
      actor: actorFor(m, r, this.panel),
      panelId: r.panelIds.get(this.panel) ?? "",
      email: p.email,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    m.reached.add(`${this.constructor.name}: ${expected}`);
    await observe(m, r, mail, this.toString());
  }
  toString() {
    return `resendInvitation(${who(this.person)} → ${this.panel})`;
  }
}

/** PNL-3, PNL-5: restores ended or removed access; refused while it is live. */
export class ReinviteMember extends GrantCommand {
  protected readonly tellRegistered = "always";
  protected refusal(p: ModelPerson, access: ModelAccess, now: number) {
    const current = p.memberships.get(this.panel);
    if (current !== undefined && isLive(current.access, now)) return "ACCESS_STILL_LIVE";
    return isLive(access, now) ? null : "ACCESS_END_NOT_IN_FUTURE";
  }
  protected async call(
    r: Real,
    input: GrantInput,
  ): Promise<Result<Grant, { readonly type: string }>> {
    return await r.panelAccess.reinviteMember(input);
  }
  toString() {
    return `reinviteMember(${who(this.person)} → ${this.panel}, ${describeAccess(this.access)})`;
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
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const access = modelAccess(this.access, m.now);
    const membership = p.memberships.get(this.panel);
    let expected = "ok";
    if (!p.exists) expected = "ACCOUNT_NOT_FOUND";
    else if (membership === undefined) expected = "MEMBERSHIP_NOT_FOUND";
    else if (!isLive(membership.access, m.now)) expected = "ACCESS_ENDED";
    else if (!isLive(access, m.now)) expected = "ACCESS_END_NOT_IN_FUTURE";
    else p.memberships.set(this.panel, { ...membership, access });
    const result = await r.panelAccess.changeAccess({
      actor: actorFor(m, r, this.panel),
      panelId: r.panelIds.get(this.panel) ?? "",
      email: p.email,
      access: realAccess(access),
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    m.reached.add(`${this.constructor.name}: ${expected}`);
    await observe(m, r, [], this.toString());
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
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    let expected = "ok";
    if (!p.exists) expected = "ACCOUNT_NOT_FOUND";
    else if (!p.memberships.has(this.panel)) expected = "MEMBERSHIP_NOT_FOUND";
    else p.memberships.delete(this.panel);
    const result = await r.panelAccess.removeMember({
      actor: actorFor(m, r, this.panel),
      panelId: r.panelIds.get(this.panel) ?? "",
      email: p.email,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    m.reached.add(`${this.constructor.name}: ${expected}`);
    await observe(m, r, [], this.toString());
  }
  toString() {
    return `removeMember(${who(this.person)} ✕ ${this.panel})`;
  }
}

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
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const administered = m.administrators[this.administrator] ?? [];
    let expected = "ok";
    const mail: ExpectedMail[] = [];
    if (!administered.includes(this.panel)) expected = "FORBIDDEN";
    else if (!p.exists) expected = "ACCOUNT_NOT_FOUND";
    else if (!p.memberships.has(this.panel)) expected = "MEMBERSHIP_NOT_FOUND";
    else if (!administersEveryPanelOf(p, administered)) expected = "TWO_FACTOR_RESET_NEEDS_SUPPORT";
    else {
      wipeTwoFactor(p);
      mail.push({ kind: "twoFactorReset", to: p.email, panel: this.panel });
    }
    const result = await r.panelAccess.resetTwoFactor({
      actor: r.administrators[this.administrator] ?? r.admin,
      panelId: r.panelIds.get(this.panel) ?? "",
      email: p.email,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    m.reached.add(`${this.constructor.name}: ${expected}`);
    await observe(m, r, mail, this.toString());
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
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    let expected = "ok";
    const mail: ExpectedMail[] = [];
    if (this.asker !== "operator") expected = "FORBIDDEN";
    else if (!p.exists) expected = "ACCOUNT_NOT_FOUND";
    else {
      wipeTwoFactor(p);
      mail.push({ kind: "twoFactorReset", to: p.email, panel: null });
    }
    const result = await r.panelAccess.supportResetTwoFactor({
      actor: this.asker === "operator" ? { type: "operator", operatorId: "support" } : r.admin,
      email: p.email,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    m.reached.add(`${this.constructor.name}: ${expected}`);
    await observe(m, r, mail, this.toString());
  }
  toString() {
    return `supportResetTwoFactor(${who(this.person)}, asked by ${this.asker === "operator" ? "the support team" : "administrator 0"})`;
  }
}

/** LCK-5: only the support team lifts a permanent block; the person starts afresh. */
export class UnblockAccount extends ModelCommand {
  constructor(readonly person: number) {
    super();
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    let expected = "ok";
    if (!p.exists) expected = "ACCOUNT_NOT_FOUND";
    else if (!p.blocked) expected = "NOT_BLOCKED";
    else {
      p.blocked = false;
      p.locked = false;
      p.failures = 0;
      p.passwordKeptCount = false;
      p.locks = 0;
    }
    const result = await r.panelAccess.unblockAccount({
      actor: { type: "operator", operatorId: "support" },
      email: p.email,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    m.reached.add(`${this.constructor.name}: ${expected}`);
    await observe(m, r, [], this.toString());
  }
  toString() {
    return `unblockAccount(${who(this.person)})`;
  }
}
