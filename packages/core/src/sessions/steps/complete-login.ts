import type { DateTime } from "luxon";
import type { AccountRecord } from "../../domain/account.js";
import { afterCompleteLogin } from "../../domain/lockout.js";
import type { AuthenticationMethod } from "../../domain/session.js";
import { addDuration } from "../../domain/time.js";
import type { StorageTx } from "../../ports/storage.js";
import type { Dependencies } from "../../runtime/dependencies.js";
import type { Outbox } from "../../runtime/outbox.js";
import { mintToken } from "../../secrets/tokens.js";

/** What the host puts in its session cookie. The token is shown once and never stored. */
export interface IssuedSession {
  readonly sessionToken: string;
  /** The absolute end; idle expiry comes earlier if the session goes unused. */
  readonly expiresAt: DateTime;
}

/**
 * SES-1, LCK-5: a login that passed every factor ends the lock row and zeroes
 * the failure count (LCK-1 v2), and opens a session whose token is stored
 * only as a hash (ACC-8). An SSO session (TFA-9) opens a session but leaves
 * the counts alone: the library did not check the password or the second
 * factor, so whoever controls the identity provider must not be able to
 * undo the count of wrong codes guessed for the non-SSO panels (TFA-9 v2).
 */
export async function completeLogin(
  deps: Dependencies,
  tx: StorageTx,
  outbox: Outbox,
  request: { account: AccountRecord; method: AuthenticationMethod; now: DateTime },
): Promise<IssuedSession> {
  const { account, method, now } = request;
  const lockout = method === "local" ? afterCompleteLogin(account.lockout) : account.lockout;
  if (
    lockout.consecutiveFailures !== account.lockout.consecutiveFailures ||
    lockout.consecutiveLocks !== account.lockout.consecutiveLocks
  ) {
    await tx.updateAccount({ ...account, lockout });
  }
  const minted = mintToken(deps.random);
  const expiresAt = addDuration(now, deps.options.sessions.absoluteTimeout);
  await tx.createSession({
    id: minted.id,
    accountId: account.id,
    secretHash: minted.secretHash,
    method,
    createdAt: now,
    lastUsedAt: now,
    expiresAt,
  });
  outbox.recordEvent({
    type: "login.completed",
    at: now,
    actor: { type: "account", accountId: account.id },
    accountId: account.id,
    sessionId: minted.id,
    method,
  });
  return { sessionToken: minted.token, expiresAt };
}
