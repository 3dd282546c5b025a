import type { DateTime } from "luxon";
import { err, ok, type Result, type ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import { type AccountRecord, statusOf } from "../domain/account.js";
import type { MembershipRecord } from "../domain/membership.js";
import {
  type AuthenticationMethod,
  isSessionUsable,
  type SessionRecord,
  sessionEndsAt,
} from "../domain/session.js";
import {
  type InvalidInput,
  type SessionInvalid,
  type StorageFailed,
  sessionInvalid,
} from "../errors.js";
import { parseInput, tokenSchema } from "../input/schemas.js";
import type { StorageTx } from "../ports/storage.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { runUnitOfWork } from "../runtime/unit-of-work.js";
import { secretMatches, splitToken } from "../secrets/tokens.js";
import { type LivePanel, livePanelsOf } from "./steps/live-panels.js";
import { revokeAllSessions } from "./steps/revoke-sessions.js";

export const sessionTokenInput = z.object({ sessionToken: tokenSchema });
/** What `sessionToken` takes; validated with zod (INP-1). */
export type SessionTokenInput = z.input<typeof sessionTokenInput>;
/** Every error `session` can answer. */
export type SessionError = InvalidInput | SessionInvalid | StorageFailed;

/** A session that works right now, with what it reaches right now (PNL-7). */
export interface ValidSession {
  readonly accountId: string;
  readonly email: string;
  readonly sessionId: string;
  /**
   * How the session was opened (TFA-9 v2): `local` (password and second
   * factor, or a remembered browser standing in for it) or `sso`.
   */
  readonly method: AuthenticationMethod;
  /** When it ends if unused from now on (idle), never later than the absolute end. */
  readonly expiresAt: DateTime;
  /** The panels this session may enter now. SSO sessions reach only SSO panels (TFA-9). */
  readonly panels: LivePanel[];
}

/** ACC-8: finds the session a token names, comparing the secret in constant time. */
async function findSessionByToken(tx: StorageTx, token: string): Promise<SessionRecord | null> {
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
  if (found === null || statusOf(found.account, found.memberships, now) !== "active")
    return err(sessionInvalid());
  return ok({ session, ...found });
}

/**
 * SES-1, PNL-7: checks a session token at each use and touches it (idle
 * expiry counts from the last use). Refused when unknown, revoked, idle or
 * past its absolute end, or when its account is no longer active (locked,
 * blocked, expired).
 */
export function validateSession(
  deps: Dependencies,
  input: SessionTokenInput,
): ResultAsync<ValidSession, SessionError> {
  return parseInput(sessionTokenInput, input).asyncAndThen(({ sessionToken }) =>
    runUnitOfWork(deps, {}, (tx) =>
      safeTry(async function* () {
        const now = deps.clock.now();
        const { session, account, memberships } = yield* await authenticate(
          deps,
          tx,
          sessionToken,
          now,
        );
        const panels = await livePanelsOf(tx, memberships, now, (panel) =>
          session.method === "local" ? true : panel.settings.ssoEnabled,
        );
        if (!(await tx.touchSession(session.id, now))) return err(sessionInvalid());
        return ok({
          accountId: account.id,
          email: account.email,
          sessionId: session.id,
          method: session.method,
          expiresAt: sessionEndsAt({ ...session, lastUsedAt: now }, deps.options.sessions),
          panels,
        });
      }),
    ),
  );
}

/** SES-2: logout ends this one session. Unknown or already ended sessions answer `ok` too. */
export function logout(
  deps: Dependencies,
  input: SessionTokenInput,
): ResultAsync<void, InvalidInput | StorageFailed> {
  return parseInput(sessionTokenInput, input).asyncAndThen(({ sessionToken }) =>
    runUnitOfWork(deps, {}, async (tx, outbox) => {
      const session = await findSessionByToken(tx, sessionToken);
      if (session === null || !(await tx.deleteSession(session.id))) return ok(undefined);
      outbox.recordEvent({
        type: "sessions.revoked",
        at: deps.clock.now(),
        actor: { type: "account", accountId: session.accountId },
        accountId: session.accountId,
        sessionIds: [session.id],
        reason: "logout",
      });
      return ok(undefined);
    }),
  );
}

/** SES-2: "log out everywhere": ends every session of the account the token belongs to. */
export function logoutEverywhere(
  deps: Dependencies,
  input: SessionTokenInput,
): ResultAsync<void, SessionError> {
  return parseInput(sessionTokenInput, input).asyncAndThen(({ sessionToken }) =>
    runUnitOfWork(deps, {}, async (tx, outbox) => {
      const session = await findSessionByToken(tx, sessionToken);
      if (session === null) return err(sessionInvalid());
      const actor = { type: "account", accountId: session.accountId } as const;
      const now = deps.clock.now();
      await revokeAllSessions(tx, outbox, {
        accountId: session.accountId,
        reason: "logoutEverywhere",
        actor,
        now,
      });
      return ok(undefined);
    }),
  );
}
