import type { DateTime } from "luxon";
import { ok, type ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import type { PanelRef } from "../domain/mail.js";
import type { InvalidInput, InvitationRefused, StorageFailed } from "../errors.js";
import { parseInput, tokenSchema } from "../input/schemas.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { readOnly } from "../runtime/unit-of-work.js";
import { findWorkingInvitation } from "./steps/find-invitation.js";

export const inspectInvitationInput = z.object({ token: tokenSchema });
/** What `inspectInvitation` takes; validated with zod (INP-1). */
export type InspectInvitationInput = z.input<typeof inspectInvitationInput>;
/** Every error `inspectInvitation` can answer. */
export type InspectInvitationError = InvalidInput | InvitationRefused | StorageFailed;

/** What the registration page may show about a working invitation. */
export interface InvitationDetails {
  readonly email: string;
  readonly panel: PanelRef | null;
  /** When the link stops working (ACC-3). The same name as in `addMember`'s and `resendInvitation`'s answers. */
  readonly invitationExpiresAt: DateTime;
}

/**
 * ACC-9: checks an invitation link without consuming it, so that a mail
 * scanner following the link changes nothing. Says why a link does not work
 * (ACC-6): unknown, used, superseded (use the latest e-mail), expired, revoked.
 */
export function inspectInvitation(
  deps: Dependencies,
  input: InspectInvitationInput,
): ResultAsync<InvitationDetails, InspectInvitationError> {
  return parseInput(inspectInvitationInput, input).asyncAndThen(({ token }) =>
    readOnly(deps, (tx) =>
      safeTry(async function* () {
        const { link, account } = yield* await findWorkingInvitation(tx, token, deps.clock.now());
        const panel = link.panelId === null ? null : await tx.findPanel(link.panelId);
        return ok({
          email: account.email,
          panel: panel && { id: panel.id, name: panel.name },
          invitationExpiresAt: link.expiresAt,
        });
      }),
    ),
  );
}
