import type { DateTime } from "luxon";
import { err, ok, type Result } from "neverthrow";
import { type AccountRecord, statusOf } from "../../domain/account.js";
import type { MembershipRecord } from "../../domain/membership.js";
import { isSessionUsable, type SessionRecord } from "../../domain/session.js";
import { type SessionInvalid, sessionInvalid } from "../../errors.js";
import type { AccountWithMemberships, StorageTx } from "../../ports/storage.js";
import type { Dependencies } from "../../runtime/dependencies.js";
import { secretMatches, splitToken } from "../../secrets/tokens.js";

/** ACC-8: finds the session a token names, comparing the secret in constant time. */
export async function findSessionByToken(
  tx: StorageTx,
  token: string,
): Promise<SessionRecord | null> {
  const { id, secret } = splitToken(token);
  const session = await tx.findSession(id);
  return session && secretMatches(secret, session.secretHash) ? session : null;
}

/** A session that works now, with its active account (SES-1). */
export interface Authenticated {
  readonly session: SessionRecord;
  readonly account: AccountRecord;
  readonly memberships: MembershipRecord[];
}

/**
 * SES-1: whether a session (already matched to its token's secret) works
 * at `now`: before its idle and absolute ends, its account active.
 */
export function worksNow(
  deps: Dependencies,
  found: { readonly session: SessionRecord } & AccountWithMemberships,
  now: DateTime,
): boolean {
  return (
    isSessionUsable(found.session, deps.options.sessions, now) &&
    statusOf(found.account, found.memberships, now) === "active"
  );
}

/**
 * SES-1: the session a token names, if it is usable now and its account is
 * active; otherwise `SESSION_INVALID`. Read-only.
 */
export async function authenticate(
  deps: Dependencies,
  tx: StorageTx,
  sessionToken: string,
  now: DateTime,
): Promise<Result<Authenticated, SessionInvalid>> {
  const session = await findSessionByToken(tx, sessionToken);
  if (session === null || !isSessionUsable(session, deps.options.sessions, now))
    return err(sessionInvalid());
  const found = await tx.findAccountWithMemberships({ id: session.accountId });
  if (found === null || !worksNow(deps, { session, ...found }, now)) return err(sessionInvalid());
  return ok({ session, ...found });
}
