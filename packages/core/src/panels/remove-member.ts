import { ok, type ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import type { AccountNotFound, LastAdministrator, MembershipNotFound } from "../errors.js";
import { actorSchema, emailSchema, idSchema } from "../input/schemas.js";
import { type AdministrativeRefusal, asAdministrator } from "../runtime/as-administrator.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { findMember } from "../runtime/steps/find-member.js";
import { keepAnAdministrator } from "./steps/keep-an-administrator.js";

export const removeMemberInput = z.object({
  actor: actorSchema,
  panelId: idSchema,
  email: emailSchema,
});
/** What `removeMember` takes; validated with zod (INP-1). */
export type RemoveMemberInput = z.input<typeof removeMemberInput>;
/** Every error `removeMember` can answer. */
export type RemoveMemberError =
  | AdministrativeRefusal
  | AccountNotFound
  | MembershipNotFound
  | LastAdministrator;

/**
 * PNL-4: removes the person's membership of this panel only; the account and
 * its credentials stay. PNL-6: the last live administrator cannot be removed.
 * An unregistered person's invitation stops working once no membership is left.
 */
export function removeMember(
  deps: Dependencies,
  input: RemoveMemberInput,
): ResultAsync<{ readonly accountId: string }, RemoveMemberError> {
  return asAdministrator(deps, removeMemberInput, input, ({ request, panel, now, tx, outbox }) =>
    safeTry(async function* () {
      const { account, membership } = yield* await findMember(tx, request.email, panel.id);
      yield* await keepAnAdministrator(tx, membership, now);
      await tx.deleteMembership(account.id, panel.id);
      const { actor } = request;
      outbox.recordEvent({
        type: "membership.removed",
        at: now,
        actor,
        accountId: account.id,
        panelId: panel.id,
      });
      return ok({ accountId: account.id });
    }),
  );
}
