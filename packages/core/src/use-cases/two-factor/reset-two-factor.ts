import { ok, type ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import type { AccountNotFound, MembershipNotFound } from "../../errors.js";
import { actorSchema, emailSchema, idSchema } from "../../input/schemas.js";
import { type AdministrativeRefusal, asAdministrator } from "../as-administrator.js";
import type { Dependencies } from "../dependencies.js";
import { findMember } from "../find-member.js";
import { revokeAllSessions } from "../revoke-sessions.js";

export const resetTwoFactorInput = z.object({
  actor: actorSchema,
  panelId: idSchema,
  email: emailSchema,
});
/** What `resetTwoFactor` takes; validated with zod (INP-1). */
export type ResetTwoFactorInput = z.input<typeof resetTwoFactorInput>;
/** Every error `resetTwoFactor` can answer. */
export type ResetTwoFactorError = AdministrativeRefusal | AccountNotFound | MembershipNotFound;

/**
 * TFA-8: an administrator of a panel the person belongs to resets their 2FA
 * (ACC-5). The enrolment, backup codes, remembered browsers and every session
 * and open login challenge end at once; the person is e-mailed; the next
 * login asks for a new setup (TFA-1).
 */
export function resetTwoFactor(
  deps: Dependencies,
  input: ResetTwoFactorInput,
): ResultAsync<{ readonly accountId: string }, ResetTwoFactorError> {
  return asAdministrator(deps, resetTwoFactorInput, input, ({ request, panel, now, tx, outbox }) =>
    safeTry(async function* () {
      const { account } = yield* await findMember(tx, request.email, panel.id);
      const accountId = account.id;
      await tx.updateAccount({ ...account, twoFactor: null });
      await tx.forgetTotpSteps(accountId);
      await tx.replaceBackupCodes(accountId, []);
      const browserIds = await tx.deleteRememberedBrowsersOfAccount(accountId);
      await tx.consumeOpenLinks(accountId, "loginChallenge", now);
      const { actor } = request;
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
      outbox.recordEvent({ type: "twoFactor.reset", at: now, actor, accountId, panelId: panel.id });
      const loginLink = new URL(deps.options.paths.login, deps.options.appUrl).toString();
      outbox.sendMail(
        {
          kind: "twoFactorReset",
          to: account.email,
          panel: { id: panel.id, name: panel.name },
          loginLink,
        },
        accountId,
      );
      return ok({ accountId });
    }),
  );
}
