import type { ResultAsync } from "neverthrow";
import { z } from "zod";
import { accessSchema, actorSchema, emailSchema, idSchema, roleSchema } from "../input/schemas.js";
import { type AdministrativeRefusal, asAdministrator } from "../runtime/as-administrator.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { type Grant, type GrantRefused, grantAccess } from "./steps/grant-access.js";

export const addMemberInput = z.object({
  actor: actorSchema,
  panelId: idSchema,
  email: emailSchema,
  role: roleSchema,
  access: accessSchema,
});
/** What `addMember` takes; validated with zod (INP-1). */
export type AddMemberInput = z.input<typeof addMemberInput>;
/** Every error `addMember` can answer. */
export type AddMemberError = AdministrativeRefusal | GrantRefused;

/**
 * ACC-1, ACC-2, ACC-2b: an administrator adds a person to the panel (or
 * updates their membership). Unknown e-mail: an unregistered account and an
 * invitation. Registered: access at once and an "access granted" notice
 * (ACC-2 v2, MAIL-3) when they had no membership of this panel; "access
 * restored" when it restores access here that had ended (PNL-3); nothing
 * when a live membership only changes.
 * Unregistered: a new invitation that supersedes the older ones (ACC-4).
 */
export function addMember(
  deps: Dependencies,
  input: AddMemberInput,
): ResultAsync<Grant, AddMemberError> {
  return asAdministrator(deps, addMemberInput, input, ({ request, panel, now, tx, outbox }) =>
    grantAccess(deps, tx, outbox, { ...request, panel, now, tellRegistered: "whenEnded" }),
  );
}
