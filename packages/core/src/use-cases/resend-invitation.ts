import { err, ok, type ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import { hasAccessEnded } from "../domain/access.js";
import type {
  AccessEnded,
  AccountNotFound,
  AlreadyRegistered,
  Forbidden,
  InvalidInput,
  MembershipNotFound,
  NoLiveAccess,
  PanelNotFound,
  StorageFailed,
} from "../errors.js";
import { actorSchema, emailSchema, idSchema, parseInput } from "../input/schemas.js";
import { authorizeAdministrator } from "./authorize.js";
import type { Dependencies } from "./dependencies.js";
import { findMember } from "./find-member.js";
import { type IssuedInvitation, issueInvitation } from "./issue-invitation.js";
import { runUnitOfWork } from "./unit-of-work.js";

export const resendInvitationInput = z.object({
  actor: actorSchema,
  panelId: idSchema,
  email: emailSchema,
});
export type ResendInvitationInput = z.input<typeof resendInvitationInput>;
export type ResendInvitationError =
  | InvalidInput
  | PanelNotFound
  | Forbidden
  | AccountNotFound
  | MembershipNotFound
  | AlreadyRegistered
  | AccessEnded
  | NoLiveAccess
  | StorageFailed;

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
  return parseInput(resendInvitationInput, input).asyncAndThen((request) =>
    runUnitOfWork(deps, { accounts: [request.email], panels: [request.panelId] }, (tx, outbox) =>
      safeTry(async function* () {
        const now = deps.clock.now();
        const panel = yield* await authorizeAdministrator(tx, request.actor, request.panelId, now);
        const { account, membership } = yield* await findMember(tx, request.email, panel.id);
        if (account.registeredAt !== null) return err({ type: "ALREADY_REGISTERED" } as const);
        if (membership.access.type === "temporary" && hasAccessEnded(membership.access, now)) {
          return err({ type: "ACCESS_ENDED", endedAt: membership.access.endsAt } as const);
        }
        const issued = yield* await issueInvitation(deps, tx, outbox, {
          account,
          panel,
          role: membership.role,
          actor: request.actor,
          now,
        });
        return ok(issued);
      }),
    ),
  );
}
