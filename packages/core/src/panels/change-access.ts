import { err, ok, type ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import { hasAccessEnded } from "../domain/access.js";
import { ADMINISTRATOR_ROLE, type MembershipRecord } from "../domain/membership.js";
import type {
  AccessEnded,
  AccessEndNotInFuture,
  AccountNotFound,
  LastAdministrator,
  MembershipNotFound,
} from "../errors.js";
import { accessSchema, actorSchema, emailSchema, idSchema, roleSchema } from "../input/schemas.js";
import { type AdministrativeRefusal, asAdministrator } from "../runtime/as-administrator.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { findMember } from "../runtime/steps/find-member.js";
import { keepAnAdministrator } from "./steps/keep-an-administrator.js";

export const changeAccessInput = z
  .object({
    actor: actorSchema,
    panelId: idSchema,
    email: emailSchema,
    /** The new role; unchanged when absent. */
    role: roleSchema.optional(),
    /** The new access term (a later `endsAt`, or permanent); unchanged when absent. */
    access: accessSchema.optional(),
  })
  .refine(
    (r) => r.role !== undefined || r.access !== undefined,
    "give a role, an access term or both",
  );
/** What `changeAccess` takes; validated with zod (INP-1). */
export type ChangeAccessInput = z.input<typeof changeAccessInput>;
/** Every error `changeAccess` can answer. */
export type ChangeAccessError =
  | AdministrativeRefusal
  | AccountNotFound
  | MembershipNotFound
  | AccessEnded
  | AccessEndNotInFuture
  | LastAdministrator;

/**
 * PNL-2: an administrator edits a membership's role or access term while it
 * has not ended. PNL-3: once ended it cannot be edited (re-invite instead).
 * PNL-6: the panel's last live administrator cannot be demoted.
 * An invitation already sent keeps the expiry its e-mail gave (see
 * docs/invitation-expiry.md).
 */
export function changeAccess(
  deps: Dependencies,
  input: ChangeAccessInput,
): ResultAsync<MembershipRecord, ChangeAccessError> {
  return asAdministrator(deps, changeAccessInput, input, ({ request, panel, now, tx, outbox }) =>
    safeTry(async function* () {
      const { membership } = yield* await findMember(tx, request.email, panel.id);
      if (membership.access.type === "temporary" && hasAccessEnded(membership.access, now)) {
        return err({ type: "ACCESS_ENDED", endedAt: membership.access.endsAt } as const);
      }
      const role = request.role ?? membership.role;
      const access = request.access ?? membership.access;
      if (hasAccessEnded(access, now)) return err({ type: "ACCESS_END_NOT_IN_FUTURE" } as const);
      if (role !== ADMINISTRATOR_ROLE) yield* await keepAnAdministrator(tx, membership, now);
      const changed: MembershipRecord = { ...membership, role, access, updatedAt: now };
      await tx.putMembership(changed);
      outbox.recordEvent({
        type: "membership.changed",
        at: now,
        actor: request.actor,
        accountId: membership.accountId,
        panelId: panel.id,
        role,
        access,
        previousRole: membership.role,
        previousAccess: membership.access,
      });
      return ok(changed);
    }),
  );
}
