import type { DateTime } from "luxon";
import { err, errAsync, ok, okAsync, type ResultAsync } from "neverthrow";
import { z } from "zod";
import {
  type AuthenticationMethod,
  isLastUseDue,
  lastUseDueBy,
  sessionEndsAt,
} from "../domain/session.js";
import {
  type InvalidInput,
  type SessionInvalid,
  type StorageFailed,
  sessionInvalid,
} from "../errors.js";
import { parseInput, tokenSchema } from "../input/schemas.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { runUnitOfWork } from "../runtime/unit-of-work.js";
import { secretMatches, splitToken } from "../secrets/tokens.js";
import { findSessionByToken, worksNow } from "./steps/authenticate.js";
import { type LivePanel, livePanelsAmong } from "./steps/live-panels.js";
import { readSessionSnapshot } from "./steps/read-session.js";
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
  /**
   * When it ends if unused from now on: `idleTimeout` after the recorded last
   * use (SES-3: now, or up to `sessions.lastUseInterval` before now when
   * this check recorded nothing), never later than the absolute end.
   */
  readonly expiresAt: DateTime;
  /** The panels this session may enter now. SSO sessions reach only SSO panels (TFA-9). */
  readonly panels: LivePanel[];
}

/**
 * SES-1, SES-3, PNL-7: checks a session token at each use. Refused when
 * unknown, revoked, idle or past its absolute end, or when its account is no
 * longer active (locked, blocked, expired).
 *
 * SES-3: the hot path. A check is one read (the store's `readSession`: the
 * session, its account, the memberships and their panels in one statement
 * on PostgreSQL, no transaction, no lock) and writes nothing while the
 * recorded last use is younger than `sessions.lastUseInterval` (1 minute by
 * default); the first check at or past it records `now` as the last use
 * (one guarded write). Idle expiry counts from the recorded last use, so it
 * is accurate to that interval: a session may end up to `lastUseInterval`
 * before `idleTimeout` of real inactivity, never after.
 */
export function validateSession(
  deps: Dependencies,
  input: SessionTokenInput,
): ResultAsync<ValidSession, SessionError> {
  return parseInput(sessionTokenInput, input).asyncAndThen(({ sessionToken }) => {
    const { id, secret } = splitToken(sessionToken);
    return readSessionSnapshot(deps, id).andThen((snapshot) => {
      const now = deps.clock.now();
      const policy = deps.options.sessions;
      if (
        snapshot === null ||
        !secretMatches(secret, snapshot.session.secretHash) ||
        !worksNow(deps, snapshot, now)
      )
        return errAsync(sessionInvalid());
      const { session, account } = snapshot;
      const answer = (recorded: boolean): ValidSession => ({
        accountId: account.id,
        email: account.email,
        sessionId: session.id,
        method: session.method,
        expiresAt: sessionEndsAt(recorded ? { ...session, lastUsedAt: now } : session, policy),
        panels: livePanelsAmong(snapshot.memberships, snapshot.panels, now, (panel) =>
          session.method === "local" ? true : panel.settings.ssoEnabled,
        ),
      });
      // SES-3: the steady state only reads; the use is recorded once the
      // recorded one is `lastUseInterval` old, by one guarded write, so of
      // concurrent checks one writes. One that finds a concurrent check
      // wrote first still answers what the read saw, with the idle end it
      // knows. SES-2: one that finds the session gone (a logout or
      // revocation committed after the read) refuses it like any other.
      if (!isLastUseDue(session, policy, now)) return okAsync(answer(false));
      return runUnitOfWork(deps, {}, async (tx) => {
        const touch = await tx.touchSession(session.id, now, lastUseDueBy(policy, now));
        return touch === "gone" ? err(sessionInvalid()) : ok(answer(touch === "touched"));
      });
    });
  });
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
