import type { DateTime } from "luxon";
import { err, ok, type Result } from "neverthrow";
import type { AccountRecord } from "../domain/account.js";
import type { Actor } from "../domain/actor.js";
import { invitationAccessTerm, invitationExpiresAt } from "../domain/invitation.js";
import type { PanelRecord } from "../domain/panel.js";
import type { NoLiveAccess } from "../errors.js";
import type { StorageTx } from "../ports/storage.js";
import { mintToken } from "../secrets/tokens.js";
import type { Dependencies } from "./dependencies.js";
import type { Outbox } from "./outbox.js";

/** What an issued invitation tells the caller (never the token). */
export interface IssuedInvitation {
  readonly invitationId: string;
  readonly expiresAt: DateTime;
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
  const [memberships, latest] = await Promise.all([
    tx.listMembershipsOfAccount(account.id),
    tx.findLatestLink(account.id, "invitation"),
  ]);
  const term = invitationAccessTerm(memberships, now);
  if (term === null) return err({ type: "NO_LIVE_ACCESS" });
  const expiresAt = invitationExpiresAt(now, term, deps.options.invitationValidity);
  const minted = mintToken(deps.random);
  await tx.createLink({
    id: minted.id,
    accountId: account.id,
    purpose: "invitation",
    sequence: (latest?.sequence ?? 0) + 1,
    secretHash: minted.secretHash,
    panelId: panel.id,
    issuedAt: now,
    expiresAt,
    consumedAt: null,
  });
  const link = new URL(deps.options.paths.registration, deps.options.appUrl);
  link.searchParams.set("token", minted.token);
  outbox.sendMail(
    {
      kind: "invitation",
      to: account.email,
      link: link.toString(),
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
    invitationId: minted.id,
    expiresAt,
  });
  return ok({ invitationId: minted.id, expiresAt });
}
