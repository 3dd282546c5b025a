import type { DateTime } from "luxon";
import { err, ok, type ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import { type AuthenticationMethod, sessionEndsAt } from "../domain/session.js";
import {
  type InvalidInput,
  type SessionInvalid,
  type StorageFailed,
  sessionInvalid,
} from "../errors.js";
import { parseInput, tokenSchema } from "../input/schemas.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { runUnitOfWork } from "../runtime/unit-of-work.js";
import { authenticate, findSessionByToken } from "./steps/authenticate.js";
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
