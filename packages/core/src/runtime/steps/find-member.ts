import { err, ok, type Result } from "neverthrow";
import type { AccountRecord } from "../../domain/account.js";
import type { MembershipRecord } from "../../domain/membership.js";
import {
  type AccountNotFound,
  accountNotFound,
  type MembershipNotFound,
  membershipNotFound,
} from "../../errors.js";
import type { StorageTx } from "../../ports/storage.js";

/** The person an administrator names by e-mail, and their membership of the panel. */
export async function findMember(
  tx: StorageTx,
  email: string,
  panelId: string,
): Promise<
  Result<
    { account: AccountRecord; membership: MembershipRecord },
    AccountNotFound | MembershipNotFound
  >
> {
  const account = await tx.findAccountByEmail(email);
  if (account === null) return err(accountNotFound());
  const membership = await tx.findMembership(account.id, panelId);
  if (membership === null) return err(membershipNotFound());
  return ok({ account, membership });
}
