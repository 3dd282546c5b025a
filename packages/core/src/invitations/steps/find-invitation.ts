import type { DateTime } from "luxon";
import { err, ok, type Result } from "neverthrow";
import type { AccountRecord } from "../../domain/account.js";
import { invitationStateOf } from "../../domain/invitation.js";
import type { OneTimeLinkRecord } from "../../domain/one-time-link.js";
import type { InvitationRefused } from "../../errors.js";
import type { StorageTx } from "../../ports/storage.js";
import { findLink } from "../../runtime/steps/find-link.js";

export interface FoundInvitation {
  readonly link: OneTimeLinkRecord;
  readonly account: AccountRecord;
}

/**
 * Finds the invitation a token names and says whether it works now (ACC-4,
 * ACC-6, ACC-3 with the access tie of docs/invitation-expiry.md).
 * Read-only: it never consumes anything (ACC-9).
 */
export async function findWorkingInvitation(
  tx: StorageTx,
  token: string,
  now: DateTime,
): Promise<Result<FoundInvitation, InvitationRefused>> {
  const found = await findLink(tx, token, "invitation", now);
  if (found === null) return err({ type: "INVITATION_UNKNOWN" });
  const { link } = found;
  const holder = await tx.findAccountWithMemberships({ id: link.accountId });
  if (holder === null) return err({ type: "INVITATION_UNKNOWN" });
  const { account } = holder;
  const state = invitationStateOf(found.state, holder.memberships, now);
  switch (state.state) {
    case "valid":
      return ok({ link, account });
    case "used":
      return err({ type: "INVITATION_USED", usedAt: state.usedAt });
    case "superseded":
      return err({ type: "INVITATION_SUPERSEDED" });
    case "expired":
      return err({ type: "INVITATION_EXPIRED", expiredAt: state.expiredAt });
    case "revoked":
      return err({ type: "INVITATION_REVOKED" });
  }
}
