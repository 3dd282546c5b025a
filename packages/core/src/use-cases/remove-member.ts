import { ok, type ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import type {
  AccountNotFound,
  Forbidden,
  InvalidInput,
  LastAdministrator,
  MembershipNotFound,
  PanelNotFound,
  StorageFailed,
} from "../errors.js";
import { actorSchema, emailSchema, idSchema, parseInput } from "../input/schemas.js";
import { authorizeAdministrator } from "./authorize.js";
import type { Dependencies } from "./dependencies.js";
import { findMember } from "./find-member.js";
import { keepAnAdministrator } from "./keep-an-administrator.js";
import { runUnitOfWork } from "./unit-of-work.js";

export const removeMemberInput = z.object({
  actor: actorSchema,
  panelId: idSchema,
  email: emailSchema,
});
export type RemoveMemberInput = z.input<typeof removeMemberInput>;
export type RemoveMemberError =
  | InvalidInput
  | PanelNotFound
  | Forbidden
  | AccountNotFound
  | MembershipNotFound
  | LastAdministrator
  | StorageFailed;

/**
 * PNL-4: removes the person's membership of this panel only; the account and
 * its credentials stay. PNL-6: the last live administrator cannot be removed.
 * An unregistered person's invitation stops working once no membership is left.
 */
export function removeMember(
  deps: Dependencies,
  input: RemoveMemberInput,
): ResultAsync<{ readonly accountId: string }, RemoveMemberError> {
  return parseInput(removeMemberInput, input).asyncAndThen((request) =>
    runUnitOfWork(deps, { accounts: [request.email], panels: [request.panelId] }, (tx, outbox) =>
      safeTry(async function* () {
        const now = deps.clock.now();
        const panel = yield* await authorizeAdministrator(tx, request.actor, request.panelId, now);
        const { account, membership } = yield* await findMember(tx, request.email, panel.id);
        yield* await keepAnAdministrator(tx, membership, now);
        await tx.deleteMembership(account.id, panel.id);
        outbox.recordEvent({
          type: "membership.removed",
          at: now,
          actor: request.actor,
          accountId: account.id,
          panelId: panel.id,
        });
        return ok({ accountId: account.id });
      }),
    ),
  );
}
