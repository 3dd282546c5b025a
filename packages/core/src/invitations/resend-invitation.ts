import { err, ok, type ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import { hasAccessEnded } from "../domain/access.js";
import type {
  AccessEnded,
  AccountNotFound,
  AlreadyRegistered,
  MembershipNotFound,
  NoLiveAccess,
} from "../errors.js";
import { actorSchema, emailSchema, idSchema } from "../input/schemas.js";
import { type AdministrativeRefusal, asAdministrator } from "../runtime/as-administrator.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { findMember } from "../runtime/steps/find-member.js";
import { type IssuedInvitation, issueInvitation } from "./steps/issue-invitation.js";

export const resendInvitationInput = z.object({
  actor: actorSchema,
  panelId: idSchema,
  email: emailSchema,
});
/** What `resendInvitation` takes; validated with zod (INP-1). */
export type ResendInvitationInput = z.input<typeof resendInvitationInput>;
/** Every error `resendInvitation` can answer. */
export type ResendInvitationError =
  | AdministrativeRefusal
  | AccountNotFound
  | MembershipNotFound
  | AlreadyRegistered
  | AccessEnded
  | NoLiveAccess;

/**
 * ACC-7: sends an unregistered member of the panel a new invitation with a
 * fresh expiry (ACC-3, from now). ACC-4: every older link stops working.
 * Refused for a registered person (ACC-2: they need none) and for access to
 * this panel that has ended (re-invite with a new term instead, PNL-3).
 */
export function resendInvitation(
  deps: Dependencies,
  input: ResendInvitationInput,
): ResultAsync<IssuedInvitation, ResendInvitationError> {
  return asAdministrator(
    deps,
    resendInvitationInput,
    input,
    ({ request, panel, now, tx, outbox }) =>
      safeTry(async function* () {
        const { account, membership } = yield* await findMember(tx, request.email, panel.id);
        if (account.registeredAt !== null) return err({ type: "ALREADY_REGISTERED" } as const);
        if (membership.access.type === "temporary" && hasAccessEnded(membership.access, now)) {
          return err({ type: "ACCESS_ENDED", endedAt: membership.access.endsAt } as const);
        }
        const { actor } = request;
        const issued = yield* await issueInvitation(deps, tx, outbox, {
          account,
          panel,
          role: membership.role,
          actor,
          now,
        });
        return ok(issued);
      }),
  );
}
