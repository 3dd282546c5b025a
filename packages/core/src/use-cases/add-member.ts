import { ok, type ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import type { Forbidden, InvalidInput, PanelNotFound, StorageFailed } from "../errors.js";
import {
  accessSchema,
  actorSchema,
  emailSchema,
  idSchema,
  parseInput,
  roleSchema,
} from "../input/schemas.js";
import { authorizeAdministrator } from "./authorize.js";
import type { Dependencies } from "./dependencies.js";
import { type Grant, type GrantRefused, grantAccess } from "./grant-access.js";
import { runUnitOfWork } from "./unit-of-work.js";

export const addMemberInput = z.object({
  actor: actorSchema,
  panelId: idSchema,
  email: emailSchema,
  role: roleSchema,
  access: accessSchema,
});
export type AddMemberInput = z.input<typeof addMemberInput>;
export type AddMemberError =
  | InvalidInput
  | PanelNotFound
  | Forbidden
  | GrantRefused
  | StorageFailed;

/**
 * ACC-1, ACC-2, ACC-2b: an administrator adds a person to the panel (or
 * updates their membership). Unknown e-mail: an unregistered account and an
 * invitation. Registered: access at once, no e-mail (unless it restores
 * access to this panel that had ended: then "access restored", PNL-3).
 * Unregistered: a new invitation that supersedes the older ones (ACC-4).
 */
export function addMember(
  deps: Dependencies,
  input: AddMemberInput,
): ResultAsync<Grant, AddMemberError> {
  return parseInput(addMemberInput, input).asyncAndThen((request) =>
    runUnitOfWork(deps, { accounts: [request.email], panels: [request.panelId] }, (tx, outbox) =>
      safeTry(async function* () {
        const now = deps.clock.now();
        const panel = yield* await authorizeAdministrator(tx, request.actor, request.panelId, now);
        const grant = yield* await grantAccess(deps, tx, outbox, {
          ...request,
          panel,
          now,
          tellRegistered: "whenEnded",
        });
        return ok(grant);
      }),
    ),
  );
}
