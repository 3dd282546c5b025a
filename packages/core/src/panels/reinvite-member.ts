import { err, type Result, type ResultAsync } from "neverthrow";
import type { z } from "zod";
import { isMembershipLive } from "../domain/membership.js";
import type { AccessStillLive } from "../errors.js";
import { type AdministrativeRefusal, asAdministrator } from "../runtime/as-administrator.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { addMemberInput } from "./add-member.js";
import { type Grant, type GrantRefused, grantAccess } from "./steps/grant-access.js";

/** Same shape as an addition: who, where, and the new role and access term. */
export const reinviteMemberInput = addMemberInput;
/** What `reinviteMember` takes; validated with zod (INP-1). */
export type ReinviteMemberInput = z.input<typeof reinviteMemberInput>;
/** Every error `reinviteMember` can answer. */
export type ReinviteMemberError = AdministrativeRefusal | AccessStillLive | GrantRefused;

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
  return asAdministrator(
    deps,
    reinviteMemberInput,
    input,
    async ({
      request,
      panel,
      now,
      tx,
      outbox,
    }): Promise<Result<Grant, AccessStillLive | GrantRefused>> => {
      const account = await tx.findAccountByEmail(request.email);
      const current = account && (await tx.findMembership(account.id, panel.id));
      if (current && isMembershipLive(current, now))
        return err({ type: "ACCESS_STILL_LIVE" } as const);
      return grantAccess(deps, tx, outbox, { ...request, panel, now, tellRegistered: "always" });
    },
  );
}
