import type { DateTime } from "luxon";
import { err, ok, type ResultAsync } from "neverthrow";
import { z } from "zod";
import { type AccountRecord, statusOf } from "../domain/account.js";
import type { LoginFailureReason } from "../domain/events.js";
import { afterCorrectPassword } from "../domain/lockout.js";
import { addDuration } from "../domain/time.js";
import { type InvalidInput, type LoginFailed, loginFailed, type StorageFailed } from "../errors.js";
import { emailSchema, parseInput, tokenSchema } from "../input/schemas.js";
import type { StorageTx } from "../ports/storage.js";
import type { IssuedSession } from "./complete-login.js";
import { createLink } from "./create-link.js";
import type { Dependencies } from "./dependencies.js";
import type { Outbox } from "./outbox.js";
import { recordLoginFailure } from "./record-login-failure.js";
import { runUnitOfWork } from "./unit-of-work.js";

/**
 * PWD-1 bounds the length before any hashing. A login does not enforce the
 * minimum length: a short password is simply wrong.
 */
const loginPasswordSchema = z
  .string()
  .max(1024, "at most 256 characters")
  .transform((p) => p.normalize("NFC"))
  .refine((p) => p.length > 0, "a password is required")
  .refine((p) => [...p].length <= 256, "at most 256 characters");

export const loginInput = z.object({
  email: emailSchema,
  password: loginPasswordSchema,
  /** TFA-7: the remembered-browser token the host keeps in a cookie, if any. */
  rememberedBrowserToken: tokenSchema.optional(),
});
export type LoginInput = z.input<typeof loginInput>;
export type LoginError = InvalidInput | LoginFailed | StorageFailed;

/**
 * What a password step that succeeded leads to. Every failure is the one
 * generic `LOGIN_FAILED` error instead (LCK-8).
 */
export type LoginStep =
  | {
      /** TFA-1: the account has no second factor yet: set it up against this challenge. */
      readonly next: "secondFactorSetup";
      /** TFA-12: single use, short-lived; the next step is checked against it. */
      readonly challenge: string;
      readonly challengeExpiresAt: DateTime;
    }
  | {
      /** TFA-3: a TOTP or backup code is next, checked against this challenge. (issue 4) */
      readonly next: "secondFactor";
      readonly challenge: string;
      readonly challengeExpiresAt: DateTime;
    }
  | {
      /** TFA-7: a remembered browser skipped the second factor: the login is complete. (issue 4) */
      readonly next: "done";
      readonly session: IssuedSession;
    };

type Decision = { readonly step: LoginStep } | { readonly failed: LoginFailureReason };

/**
 * The password step of a login (LCK-1 to LCK-8).
 *
 * - Serialised per account (LCK-7): the password is checked inside the
 *   account's unit of work, so N parallel guesses are checked one at a time,
 *   lose no count, lock once, and at most `lockoutThreshold` are checked per lock.
 * - Every answer costs one full argon2 verification (LCK-8): accounts whose
 *   real hash is not checked (unknown, unregistered, locked, blocked,
 *   expired) are verified against a dummy hash with the same parameters.
 * - Every failure answers `LOGIN_FAILED`; the reason goes to `login.failed`.
 * - Mail from this step (a lock) is delivered in the background, so its
 *   latency cannot tell a caller what happened.
 */
export function login(deps: Dependencies, input: LoginInput): ResultAsync<LoginStep, LoginError> {
  return parseInput(loginInput, input).asyncAndThen(({ email, password }) =>
    runUnitOfWork<Decision, never>(
      deps,
      { accounts: [email] },
      async (tx, outbox) => {
        const now = deps.clock.now();
        const account = await tx.findAccountByEmail(email);
        const memberships = account ? await tx.listMembershipsOfAccount(account.id) : [];
        const status = account ? statusOf(account, memberships, now) : null;
        if (account === null || account.passwordHash === null || status !== "active") {
          await deps.passwordHasher.verify(await deps.dummyPasswordHash(), password);
          // An active account always has a password hash; "unregistered" only satisfies the type.
          const reason: LoginFailureReason =
            status === null ? "unknownAccount" : status === "active" ? "unregistered" : status;
          const accountId = account?.id ?? null;
          const actor = { type: "anonymous" } as const;
          outbox.recordEvent({ type: "login.failed", at: now, actor, accountId, email, reason });
          return ok({ failed: reason });
        }
        if (!(await deps.passwordHasher.verify(account.passwordHash, password))) {
          await recordLoginFailure(deps, tx, outbox, { account, reason: "wrongPassword", now });
          return ok({ failed: "wrongPassword" });
        }
        return ok({ step: await acceptPassword(deps, tx, outbox, account, now) });
      },
      "background",
    ).andThen((decision) => ("step" in decision ? ok(decision.step) : err(loginFailed()))),
  );
}

/** LCK-1: a correct password zeroes the failure count; TFA-12: a challenge for the next step. */
async function acceptPassword(
  deps: Dependencies,
  tx: StorageTx,
  outbox: Outbox,
  account: AccountRecord,
  now: DateTime,
): Promise<LoginStep> {
  if (account.lockout.consecutiveFailures > 0) {
    await tx.updateAccount({ ...account, lockout: afterCorrectPassword(account.lockout) });
  }
  const challengeExpiresAt = addDuration(now, deps.options.challengeValidity);
  const { link, token } = await createLink(deps, tx, {
    accountId: account.id,
    purpose: "loginChallenge",
    now,
    expiresAt: challengeExpiresAt,
  });
  outbox.recordEvent({
    type: "login.passwordAccepted",
    at: now,
    actor: { type: "account", accountId: account.id },
    accountId: account.id,
    challengeId: link.id,
  });
  return { next: "secondFactorSetup", challenge: token, challengeExpiresAt };
}
