import type { DateTime } from "luxon";
import { err, ok, type Result } from "neverthrow";
import type { AccountRecord } from "../domain/account.js";
import { invitationStateOf } from "../domain/invitation.js";
import type { OneTimeLinkRecord } from "../domain/one-time-link.js";
import type { InvitationRefused } from "../errors.js";
import type { StorageTx } from "../ports/storage.js";
import { secretMatches, splitToken } from "../secrets/tokens.js";

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
  const { id, secret } = splitToken(token);
  const link = await tx.findLink(id);
  // ACC-8: the secret is compared with the stored hash in constant time.
  if (link === null || link.purpose !== "invitation" || !secretMatches(secret, link.secretHash)) {
    return err({ type: "INVITATION_UNKNOWN" });
  }
  const [account, latest, memberships] = await Promise.all([
    tx.findAccountById(link.accountId),
    tx.findLatestLink(link.accountId, "invitation"),
    tx.listMembershipsOfAccount(link.accountId),
  ]);
  if (account === null) return err({ type: "INVITATION_UNKNOWN" });
  const state = invitationStateOf(link, latest?.sequence ?? link.sequence, memberships, now);
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
