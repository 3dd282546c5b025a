import type { DateTime } from "luxon";
import type { AccountRecord } from "../../domain/account.js";
import type { LoginFailureReason } from "../../domain/events.js";
import { type FailureConsequence, recordFailure } from "../../domain/lockout.js";
import { issuePasswordReset } from "../../passwords/steps/issue-password-reset.js";
import type { StorageTx } from "../../ports/storage.js";
import type { Dependencies } from "../../runtime/dependencies.js";
import type { Outbox } from "../../runtime/outbox.js";
import { revokeAllSessions } from "../../sessions/steps/revoke-sessions.js";

/**
 * LCK-1, LCK-2, LCK-5, LCK-6: counts one failed check of a factor (wrong
 * password, wrong or replayed second factor) against the account, inside the
 * account's unit of work. The failure that reaches the threshold locks the
 * account and e-mails a reset link; the lock that completes the row blocks it
 * permanently, ends its sessions and e-mails "contact support".
 */
export async function recordLoginFailure(
  deps: Dependencies,
  tx: StorageTx,
  outbox: Outbox,
  request: { account: AccountRecord; reason: LoginFailureReason; now: DateTime },
): Promise<FailureConsequence> {
  const { account, reason, now } = request;
  const actor = { type: "anonymous" } as const;
  const { lockout, consequence } = recordFailure(account.lockout, deps.options, now);
  await tx.updateAccount({ ...account, lockout });
  const accountId = account.id;
  outbox.recordEvent({
    type: "login.failed",
    at: now,
    actor,
    accountId,
    email: account.email,
    reason,
  });
  if (consequence === "locked") {
    const reset = await issuePasswordReset(deps, tx, outbox, { account, actor, now });
    outbox.sendMail(
      {
        kind: "accountLocked",
        to: account.email,
        resetLink: reset.url,
        expiresAt: reset.expiresAt,
      },
      accountId,
    );
    const { consecutiveLocks } = lockout;
    outbox.recordEvent({ type: "account.locked", at: now, actor, accountId, consecutiveLocks });
  }
  if (consequence === "permanentlyBlocked") {
    await revokeAllSessions(tx, outbox, { accountId, reason: "permanentBlock", actor, now });
    outbox.sendMail({ kind: "accountBlocked", to: account.email }, accountId);
    outbox.recordEvent({ type: "account.permanentlyBlocked", at: now, actor, accountId });
  }
  return consequence;
}
