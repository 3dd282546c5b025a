import { err, ok, type ResultAsync, safeTry } from "neverthrow";
import type { z } from "zod";
import { isMembershipLive } from "../domain/membership.js";
import type {
  AccessStillLive,
  Forbidden,
  InvalidInput,
  PanelNotFound,
  StorageFailed,
} from "../errors.js";
import { parseInput } from "../input/schemas.js";
import { addMemberInput } from "./add-member.js";
import { authorizeAdministrator } from "./authorize.js";
import type { Dependencies } from "./dependencies.js";
import { type Grant, type GrantRefused, grantAccess } from "./grant-access.js";
import { runUnitOfWork } from "./unit-of-work.js";

/** Same shape as an addition: who, where, and the new role and access term. */
export const reinviteMemberInput = addMemberInput;
export type ReinviteMemberInput = z.input<typeof reinviteMemberInput>;
export type ReinviteMemberError =
  | InvalidInput
  | PanelNotFound
  | Forbidden
  | AccessStillLive
  | GrantRefused
  | StorageFailed;

/**
 * PNL-3, PNL-5: re-invites a person whose access to this panel has ended or
 * was removed. A registered person is restored at once and e-mailed that
 * access is back (no new registration; an expired account becomes active).
 * An unregistered person gets a fresh invitation. Live access is refused:
 * edit it instead (PNL-2).
 */
export function reinviteMember(
  deps: Dependencies,
  input: ReinviteMemberInput,
): ResultAsync<Grant, ReinviteMemberError> {
  return parseInput(reinviteMemberInput, input).asyncAndThen((request) =>
    runUnitOfWork(deps, { accounts: [request.email], panels: [request.panelId] }, (tx, outbox) =>
      safeTry(async function* () {
        const now = deps.clock.now();
        const panel = yield* await authorizeAdministrator(tx, request.actor, request.panelId, now);
        const account = await tx.findAccountByEmail(request.email);
        const current = account && (await tx.findMembership(account.id, panel.id));
        if (current && isMembershipLive(current, now))
          return err({ type: "ACCESS_STILL_LIVE" } as const);
        const grant = yield* await grantAccess(deps, tx, outbox, {
          ...request,
          panel,
          now,
          tellRegistered: "always",
        });
        return ok(grant);
      }),
    ),
  );
}
