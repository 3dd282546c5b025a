import type { DateTime } from "luxon";
import { err, ok, type Result } from "neverthrow";
import type { AccountRecord } from "../../domain/account.js";
import type { Actor } from "../../domain/actor.js";
import { invitationAccessTerm, invitationExpiresAt } from "../../domain/invitation.js";
import type { PanelRecord } from "../../domain/panel.js";
import type { NoLiveAccess } from "../../errors.js";
import type { StorageTx } from "../../ports/storage.js";
import type { Dependencies } from "../../runtime/dependencies.js";
import type { Outbox } from "../../runtime/outbox.js";
import { createLink, linkUrl } from "../../runtime/steps/create-link.js";

/** What an issued invitation tells the caller (never the token). */
export interface IssuedInvitation {
  readonly invitationId: string;
  /** When the link stops working (ACC-3). The same name as `Grant.invitationExpiresAt`. */
  readonly invitationExpiresAt: DateTime;
}

/**
 * Issues a new invitation link for an unregistered account and e-mails it.
 * ACC-3: it expires at `min(now + 7 days, end of the longest-lived live access)`.
 * ACC-4: its sequence is one above the latest, so every older link stops working.
 */
export async function issueInvitation(
  deps: Dependencies,
  tx: StorageTx,
  outbox: Outbox,
  request: {
    account: AccountRecord;
    panel: PanelRecord;
    role: string;
    actor: Actor;
    now: DateTime;
  },
): Promise<Result<IssuedInvitation, NoLiveAccess>> {
  const { account, panel, role, actor, now } = request;
  const memberships = await tx.listMembershipsOfAccount(account.id);
  const term = invitationAccessTerm(memberships, now);
  if (term === null) return err({ type: "NO_LIVE_ACCESS" });
  const expiresAt = invitationExpiresAt(now, term, deps.options.invitationValidity);
  const { link, token } = await createLink(deps, tx, {
    accountId: account.id,
    purpose: "invitation",
    panelId: panel.id,
    now,
    expiresAt,
  });
  outbox.sendMail(
    {
      kind: "invitation",
      to: account.email,
      link: linkUrl(deps, deps.options.paths.registration, token),
      expiresAt,
      panel: { id: panel.id, name: panel.name },
      role,
    },
    account.id,
  );
  outbox.recordEvent({
    type: "invitation.sent",
    at: now,
    actor,
    accountId: account.id,
    panelId: panel.id,
    invitationId: link.id,
    expiresAt,
  });
  return ok({ invitationId: link.id, invitationExpiresAt: expiresAt });
}
