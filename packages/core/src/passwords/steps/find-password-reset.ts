import type { DateTime } from "luxon";
import { err, ok, type Result } from "neverthrow";
import type { AccountRecord } from "../../domain/account.js";
import type { OneTimeLinkRecord } from "../../domain/one-time-link.js";
import type { ResetLinkRefused } from "../../errors.js";
import type { StorageTx } from "../../ports/storage.js";
import { findLink } from "../../runtime/steps/find-link.js";

/**
 * Finds the reset link a token names and says whether it works now (PWD-3:
 * latest only, unexpired, unused; LCK-5: never for a blocked account).
 * Read-only (ACC-9).
 */
export async function findWorkingPasswordReset(
  tx: StorageTx,
  token: string,
  now: DateTime,
): Promise<Result<{ link: OneTimeLinkRecord; account: AccountRecord }, ResetLinkRefused>> {
  const found = await findLink(tx, token, "passwordReset", now);
  const account = found && (await tx.findAccountById(found.link.accountId));
  if (found === null || account === null) return err({ type: "RESET_LINK_UNKNOWN" });
  switch (found.state.state) {
    case "used":
      return err({ type: "RESET_LINK_USED", usedAt: found.state.usedAt });
    case "superseded":
      return err({ type: "RESET_LINK_SUPERSEDED" });
    case "expired":
      return err({ type: "RESET_LINK_EXPIRED", expiredAt: found.state.expiredAt });
    case "valid":
      if (account.lockout.blockedAt !== null) return err({ type: "ACCOUNT_BLOCKED" });
      return ok({ link: found.link, account });
  }
}
