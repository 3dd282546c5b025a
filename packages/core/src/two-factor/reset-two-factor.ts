import type { DateTime } from "luxon";
import { err, ok, type ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import type { AccountRecord } from "../domain/account.js";
import type { Actor } from "../domain/actor.js";
import { isLiveAdministrator } from "../domain/membership.js";
import type { PanelRecord } from "../domain/panel.js";
import type { AccountNotFound, MembershipNotFound, TwoFactorResetNeedsSupport } from "../errors.js";
import { actorSchema, emailSchema, idSchema } from "../input/schemas.js";
import type { StorageTx } from "../ports/storage.js";
import { type AdministrativeRefusal, asAdministrator } from "../runtime/as-administrator.js";
import { asOperator, type SupportRefusal } from "../runtime/as-operator.js";
import type { Dependencies } from "../runtime/dependencies.js";
import type { Outbox } from "../runtime/outbox.js";
import { findMember } from "../runtime/steps/find-member.js";
import { loginLink } from "../runtime/steps/security-notice.js";
import { revokeAllSessions } from "../sessions/steps/revoke-sessions.js";

export const resetTwoFactorInput = z.object({
  actor: actorSchema,
  panelId: idSchema,
  email: emailSchema,
});
/** What `resetTwoFactor` takes; validated with zod (INP-1). */
export type ResetTwoFactorInput = z.input<typeof resetTwoFactorInput>;
/** Every error `resetTwoFactor` can answer. */
export type ResetTwoFactorError =
  | AdministrativeRefusal
  | AccountNotFound
  | MembershipNotFound
  | TwoFactorResetNeedsSupport;

/**
 * TFA-8: an administrator of a panel the person belongs to resets their 2FA
 * (ACC-5). The enrolment, backup codes, remembered browsers and every session
 * and open login challenge end at once; the person is e-mailed; the next
 * login asks for a new setup (TFA-1).
 *
 * TFA-8 v2: 2FA belongs to the account, which may reach other organisations'
 * panels, so the administrator must administer (live) every panel in which
 * the person holds access. Otherwise `TWO_FACTOR_RESET_NEEDS_SUPPORT` and
 * nothing changes: the support team resets it (`supportResetTwoFactor`).
 * Decision: access that has ended counts too, since its panel can restore
 * it at once (PNL-3); only a removed membership is gone.
 */
export function resetTwoFactor(
  deps: Dependencies,
  input: ResetTwoFactorInput,
): ResultAsync<{ readonly accountId: string }, ResetTwoFactorError> {
  return asAdministrator(deps, resetTwoFactorInput, input, ({ request, panel, now, tx, outbox }) =>
    safeTry(async function* () {
      const { account } = yield* await findMember(tx, request.email, panel.id);
      if (!(await administersEveryPanelOf(tx, request.actor, account.id, now))) {
        return err({ type: "TWO_FACTOR_RESET_NEEDS_SUPPORT" } as const);
      }
      await wipeTwoFactor(deps, tx, outbox, { account, actor: request.actor, panel, now });
      return ok({ accountId: account.id });
    }),
  );
}

/**
 * TFA-8 v2: whether `actor` is a live administrator of every panel in which
 * the person holds a membership, live or ended (ended access can be restored
 * by its panel at once, PNL-3, and would then meet a reset 2FA).
 */
async function administersEveryPanelOf(
  tx: StorageTx,
  actor: Actor,
  accountId: string,
  now: DateTime,
): Promise<boolean> {
  if (actor.type !== "account") return false;
  const person = await tx.findAccountWithMemberships({ id: accountId });
  const administrator = await tx.findAccountWithMemberships({ id: actor.accountId });
  if (person === null || administrator === null) return false;
  const administered = new Set(
    administrator.memberships.filter((m) => isLiveAdministrator(m, now)).map((m) => m.panelId),
  );
  return person.memberships.every((m) => administered.has(m.panelId));
}

export const supportResetTwoFactorInput = z.object({ actor: actorSchema, email: emailSchema });
/** What `supportResetTwoFactor` takes; validated with zod (INP-1). */
export type SupportResetTwoFactorInput = z.input<typeof supportResetTwoFactorInput>;
/** Every error `supportResetTwoFactor` can answer. */
export type SupportResetTwoFactorError = SupportRefusal;

/**
 * TFA-8 v2: the support team (an `operator` actor, and only it) resets any
 * account's 2FA, whatever panels it reaches, with the same effects as an
 * administrator's reset. Audited as `twoFactor.reset` with the operator as
 * actor and no panel.
 */
export function supportResetTwoFactor(
  deps: Dependencies,
  input: SupportResetTwoFactorInput,
): ResultAsync<{ readonly accountId: string }, SupportResetTwoFactorError> {
  return asOperator(deps, supportResetTwoFactorInput, input, async (step) => {
    const { account, actor, now, tx, outbox } = step;
    await wipeTwoFactor(deps, tx, outbox, { account, actor, panel: null, now });
    return ok({ accountId: account.id });
  });
}

/**
 * TFA-8: ends the enrolment, backup codes, remembered browsers, open login
 * challenges and sessions, and e-mails the person, naming the panel whose
 * administrator did it (`null`: the support team).
 */
async function wipeTwoFactor(
  deps: Dependencies,
  tx: StorageTx,
  outbox: Outbox,
  request: { account: AccountRecord; actor: Actor; panel: PanelRecord | null; now: DateTime },
): Promise<void> {
  const { account, actor, panel, now } = request;
  const accountId = account.id;
  await tx.updateAccount({ ...account, twoFactor: null });
  await tx.forgetTotpSteps(accountId);
  await tx.replaceBackupCodes(accountId, []);
  const browserIds = await tx.deleteRememberedBrowsersOfAccount(accountId);
  await tx.consumeOpenLinks(accountId, "loginChallenge", now);
  await revokeAllSessions(tx, outbox, { accountId, reason: "twoFactorReset", actor, now });
  if (browserIds.length > 0) {
    outbox.recordEvent({
      type: "rememberedBrowsers.forgotten",
      at: now,
      actor,
      accountId,
      browserIds,
    });
  }
  const panelId = panel?.id ?? null;
  outbox.recordEvent({ type: "twoFactor.reset", at: now, actor, accountId, panelId });
  const named = panel && { id: panel.id, name: panel.name };
  outbox.sendMail(
    { kind: "twoFactorReset", to: account.email, panel: named, loginLink: loginLink(deps) },
    accountId,
  );
}
