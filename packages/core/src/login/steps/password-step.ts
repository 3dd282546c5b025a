import type { DateTime } from "luxon";
import { ok, type Result } from "neverthrow";
import { recordLoginFailure } from "../../accounts/steps/record-login-failure.js";
import { type AccountRecord, statusOf } from "../../domain/account.js";
import type { LoginFailureReason } from "../../domain/events.js";
import { addDuration } from "../../domain/time.js";
import type { EnteredPassword } from "../../input/schemas.js";
import { checkPassword } from "../../passwords/steps/check-password.js";
import type { StorageTx } from "../../ports/storage.js";
import type { Dependencies } from "../../runtime/dependencies.js";
import type { Outbox } from "../../runtime/outbox.js";
import { createLink } from "../../runtime/steps/create-link.js";
import { completeLogin, type IssuedSession } from "../../sessions/steps/complete-login.js";
import { recognisesBrowser } from "../../two-factor/steps/remembered-browser.js";
import { newTotpSecret, type TwoFactorSetup } from "../../two-factor/steps/secret.js";

/**
 * What a password step that succeeded leads to. Every failure is the one
 * generic `LOGIN_FAILED` error instead (LCK-8).
 */
export type LoginStep =
  | {
      /**
       * TFA-1: the account has no second factor yet: show `setup` (QR code and
       * secret) and confirm a code with `completeTwoFactorSetup` against this challenge.
       */
      readonly next: "secondFactorSetup";
      /** TFA-12: single use, short-lived; the next step is checked against it. */
      readonly challenge: string;
      readonly challengeExpiresAt: DateTime;
      readonly setup: TwoFactorSetup;
    }
  | {
      /** TFA-3: a TOTP or backup code is next (`verifySecondFactor`), checked against this challenge. */
      readonly next: "secondFactor";
      readonly challenge: string;
      readonly challengeExpiresAt: DateTime;
    }
  | {
      /** TFA-7: a remembered browser skipped the second factor: the login is complete. */
      readonly next: "done";
      readonly session: IssuedSession;
    };

/** What the unit of work decided; a setup's secret is turned into its screen after the commit. */
type Accepted =
  | Exclude<LoginStep, { next: "secondFactorSetup" }>
  | (Omit<Extract<LoginStep, { next: "secondFactorSetup" }>, "setup"> & {
      readonly secret: Uint8Array;
      readonly email: string;
    });
/** The password step's outcome: the next step, or why it failed (for `login.failed`). */
export type Decision = { readonly step: Accepted } | { readonly failed: LoginFailureReason };

/** What the password step reads of a valid login request (`loginInput`, parsed). */
export interface PasswordStepRequest {
  readonly email: string;
  readonly password: EnteredPassword;
  readonly rememberedBrowserToken?: string | undefined;
}

/**
 * The password step inside the account's unit of work. A failure is handed
 * to `fail` (the caller's answer) as soon as it is known, before the writes
 * only a registered account makes; `fail` gets the account whose count those
 * writes keep, if any.
 */
export async function passwordStep(
  deps: Dependencies,
  tx: StorageTx,
  outbox: Outbox,
  request: PasswordStepRequest,
  fail: (decision: Decision, countedAccountId: string | null) => void,
): Promise<Result<Decision, never>> {
  const { email, password, rememberedBrowserToken: browser } = request;
  const now = deps.clock.now();
  const found = await tx.findAccountWithMemberships({ email });
  const account = found?.account ?? null;
  const memberships = found?.memberships ?? [];
  const status = account ? statusOf(account, memberships, now) : null;
  const eligible = account !== null && status === "active";
  const check = await checkPassword(deps, eligible ? account.passwordHash : null, password);
  if (!eligible || account === null) {
    // An active account always has a password hash; "unregistered" only satisfies the type.
    const reason: LoginFailureReason =
      status === null ? "unknownAccount" : status === "active" ? "unregistered" : status;
    fail({ failed: reason }, null);
    const accountId = account?.id ?? null;
    const actor = { type: "anonymous" } as const;
    outbox.recordEvent({ type: "login.failed", at: now, actor, accountId, email, reason });
    return ok({ failed: reason });
  }
  if (!check.matches) {
    fail({ failed: "wrongPassword" }, account.id);
    await recordLoginFailure(deps, tx, outbox, { account, reason: "wrongPassword", now });
    return ok({ failed: "wrongPassword" });
  }
  let current = account;
  if (check.upgradedHash !== null) {
    current = { ...account, passwordHash: check.upgradedHash };
    await tx.updateAccount(current);
  }
  return ok({ step: await acceptPassword(deps, tx, outbox, { account: current, browser, now }) });
}

/**
 * After a correct password (LCK-1 v2: the failure count stays until the login
 * completes), by the account's enrolment: a remembered browser completes the
 * login (TFA-7); an enrolled account gets a challenge for its code (TFA-3,
 * TFA-12); any other starts a setup with a new secret (TFA-1; a new login
 * shows a new QR code).
 */
async function acceptPassword(
  deps: Dependencies,
  tx: StorageTx,
  outbox: Outbox,
  request: { account: AccountRecord; browser: string | undefined; now: DateTime },
): Promise<Accepted> {
  const { account, now } = request;
  const enrolled = account.twoFactor?.status === "enrolled";
  if (enrolled && (await recognisesBrowser(tx, account.id, request.browser, now))) {
    const session = await completeLogin(deps, tx, outbox, { account, method: "local", now });
    return { next: "done", session };
  }
  let setupSecret: Uint8Array | null = null;
  if (!enrolled) {
    const { secret, sealed } = newTotpSecret(deps, account.id);
    setupSecret = secret;
    await tx.updateAccount({
      ...account,
      twoFactor: { status: "pending", sealedSecret: sealed, createdAt: now },
    });
  }
  const challengeExpiresAt = addDuration(now, deps.options.challengeValidity);
  const { link, token: challenge } = await createLink(deps, tx, {
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
  if (setupSecret === null) return { next: "secondFactor", challenge, challengeExpiresAt };
  return {
    next: "secondFactorSetup",
    challenge,
    challengeExpiresAt,
    secret: setupSecret,
    email: account.email,
  };
}
