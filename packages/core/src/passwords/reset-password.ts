import type { DateTime } from "luxon";
import { err, errAsync, ok, ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import { afterPasswordReset } from "../domain/lockout.js";
import type {
  InvalidInput,
  PasswordRefused,
  ResetLinkRefused,
  StorageFailed,
  TooManyAttempts,
} from "../errors.js";
import { parseInput, passwordSchema, tokenSchema } from "../input/schemas.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { sendSecurityNotice } from "../runtime/steps/security-notice.js";
import { queueFull } from "../runtime/throttle.js";
import { readOnly, runUnitOfWork } from "../runtime/unit-of-work.js";
import { revokeAllSessions } from "../sessions/steps/revoke-sessions.js";
import { findWorkingPasswordReset } from "./steps/find-password-reset.js";
import { screenNewPassword } from "./steps/screen-password.js";

export const inspectPasswordResetInput = z.object({ token: tokenSchema });
/** What `inspectPasswordReset` takes; validated with zod (INP-1). */
export type InspectPasswordResetInput = z.input<typeof inspectPasswordResetInput>;
/** Every error `inspectPasswordReset` can answer. */
export type InspectPasswordResetError = InvalidInput | ResetLinkRefused | StorageFailed;

/**
 * ACC-9: what the page behind a reset link shows, without consuming the link.
 */
export function inspectPasswordReset(
  deps: Dependencies,
  input: InspectPasswordResetInput,
): ResultAsync<
  { readonly email: string; readonly expiresAt: DateTime },
  InspectPasswordResetError
> {
  return parseInput(inspectPasswordResetInput, input).asyncAndThen(({ token }) =>
    readOnly(deps, async (tx) =>
      (await findWorkingPasswordReset(tx, token, deps.clock.now())).map(({ link, account }) => ({
        email: account.email,
        expiresAt: link.expiresAt,
      })),
    ),
  );
}

export const resetPasswordInput = z.object({ token: tokenSchema, password: passwordSchema });
/** What `resetPassword` takes; validated with zod (INP-1). */
export type ResetPasswordInput = z.input<typeof resetPasswordInput>;
/** Every error `resetPassword` can answer. */
export type ResetPasswordError =
  | InvalidInput
  | ResetLinkRefused
  | PasswordRefused
  | TooManyAttempts
  | StorageFailed;

/**
 * PWD-3, LCK-4, PWD-4: sets a new password (PWD-1) through the latest working
 * reset link, consumed once. Unlocks the account and zeroes its failure count
 * (the lock row goes on until a complete login, LCK-5), ends every session
 * and every open login challenge. A blocked account is refused (LCK-5). The
 * new password is screened first (PWD-6): a refused one changes nothing and
 * the link still works.
 */
export function resetPassword(
  deps: Dependencies,
  input: ResetPasswordInput,
): ResultAsync<{ readonly accountId: string }, ResetPasswordError> {
  return parseInput(resetPasswordInput, input).asyncAndThen(({ token, password }) =>
    // Check the link first, so a forged or dead link costs no screening and
    // no password hash (and nobody without a link can query the screen).
    readOnly(deps, (tx) => findWorkingPasswordReset(tx, token, deps.clock.now())).andThen(
      ({ account }) => {
        // One reset per account at a time (LCK-7 v2's queue): parallel submissions of one link
        // cost one hash, the others find the link used before hashing.
        if (deps.accountQueues.isFull(account.email)) return errAsync(queueFull());
        const queued = deps.accountQueues.run(account.email, () =>
          resetOnce(deps, token, password),
        );
        return new ResultAsync(queued);
      },
    ),
  );
}

/** The reset itself, run alone for its account: the link again, the screen, the hash, the change. */
function resetOnce(
  deps: Dependencies,
  token: string,
  password: string,
): ResultAsync<{ readonly accountId: string }, ResetPasswordError> {
  return readOnly(deps, (tx) => findWorkingPasswordReset(tx, token, deps.clock.now()))
    .andThen(({ account }) => screenNewPassword(deps, password, account.email).map(() => account))
    .andThen((account) =>
      ResultAsync.fromSafePromise(deps.passwordHasher.hash(password)).map((passwordHash) => ({
        email: account.email,
        passwordHash,
      })),
    )
    .andThen(({ email, passwordHash }) =>
      runUnitOfWork(deps, { accounts: [email] }, (tx, outbox) =>
        safeTry(async function* () {
          const now = deps.clock.now();
          const { link, account } = yield* await findWorkingPasswordReset(tx, token, now);
          if (!(await tx.consumeLink(link.id, now))) {
            return err({ type: "RESET_LINK_USED", usedAt: now } as const);
          }
          const lockout = afterPasswordReset(account.lockout);
          await tx.updateAccount({ ...account, passwordHash, lockout });
          await tx.consumeOpenLinks(account.id, "loginChallenge", now);
          const actor = { type: "account", accountId: account.id } as const;
          await revokeAllSessions(tx, outbox, {
            accountId: account.id,
            reason: "passwordReset",
            actor,
            now,
          });
          outbox.recordEvent({ type: "password.reset", at: now, actor, accountId: account.id });
          sendSecurityNotice(deps, outbox, account, { kind: "passwordChanged" }, now);
          return ok({ accountId: account.id });
        }),
      ),
    );
}
