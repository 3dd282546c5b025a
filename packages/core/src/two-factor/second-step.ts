import type { DateTime } from "luxon";
import { errAsync, ok, type Result, ResultAsync } from "neverthrow";
import { z } from "zod";
import { recordLoginFailure } from "../accounts/steps/record-login-failure.js";
import { type AccountRecord, statusOf } from "../domain/account.js";
import { matchTotp } from "../domain/totp.js";
import {
  type InvalidInput,
  type LoginFailed,
  loginFailed,
  type StorageFailed,
  type ThrottleUnavailable,
  type TooManyAttempts,
} from "../errors.js";
import { clientAddressSchema } from "../input/client-address.js";
import { labelSchema, parseInput, tokenSchema } from "../input/schemas.js";
import type { StorageTx } from "../ports/storage.js";
import type { Dependencies } from "../runtime/dependencies.js";
import type { Outbox } from "../runtime/outbox.js";
import { findLink } from "../runtime/steps/find-link.js";
import { sendSecurityNotice } from "../runtime/steps/security-notice.js";
import { admit, queueFull } from "../runtime/throttle.js";
import {
  type CommitThenRefuse,
  commitThenRefuse,
  readOnly,
  runRefusableUnitOfWork,
} from "../runtime/unit-of-work.js";
import { BACKUP_CODE_INPUT, backupCodeHash, normaliseBackupCode } from "../secrets/backup-codes.js";
import { completeLogin, type IssuedSession } from "../sessions/steps/complete-login.js";
import { issueBackupCodes } from "./steps/backup-codes.js";
import { type IssuedRememberedBrowser, rememberBrowser } from "./steps/remembered-browser.js";
import { openTotpSecret, resealIfRotated } from "./steps/secret.js";

/**
 * A code as typed: spaces a person typed are stripped (and dashes in a backup
 * code); then it must be 6 digits (TOTP) or a 16-symbol backup code.
 */
export const codeSchema = z
  .string()
  .max(64, "a code is at most 64 characters")
  .transform((typed) => typed.replace(/\s/g, ""))
  .refine((code) => /^\d{6}$/.test(code) || BACKUP_CODE_INPUT.test(normaliseBackupCode(code)), {
    message: "a code is 6 digits, or a backup code of 16 letters and digits",
  });

const secondStepInput = z.object({
  /** TFA-12: the challenge the password step answered. */
  challenge: tokenSchema,
  code: codeSchema,
  /** TFA-7: "Remember this browser for 1 week". @default false */
  rememberBrowser: z.boolean().default(false),
  /** TFA-13: how the browser is listed later, e.g. "Firefox on Linux". */
  browserLabel: labelSchema(100).optional(),
  /** LCK-9: the client's IPv4 or IPv6 address, for the per-address throttle (as at login). */
  clientAddress: clientAddressSchema.optional(),
});
export const verifySecondFactorInput = secondStepInput;
export const completeTwoFactorSetupInput = secondStepInput;
/** What `verifySecondFactor` takes; validated with zod (INP-1). */
export type VerifySecondFactorInput = z.input<typeof verifySecondFactorInput>;
/** What `completeTwoFactorSetup` takes; validated with zod (INP-1). */
export type CompleteTwoFactorSetupInput = z.input<typeof completeTwoFactorSetupInput>;
/** Every error `secondStep` can answer. */
export type SecondStepError =
  | InvalidInput
  | LoginFailed
  | TooManyAttempts
  | ThrottleUnavailable
  | StorageFailed;

/** A login that passed every factor. */
export interface CompletedLogin {
  readonly session: IssuedSession;
  /** Present when the person chose to remember this browser (TFA-7). */
  readonly rememberedBrowser: IssuedRememberedBrowser | null;
  /** After a backup code was used: how many unused ones are left (TFA-5). */
  readonly backupCodesLeft: number | null;
}

/** A completed setup: the login, and the backup codes to show once (TFA-2). */
export interface CompletedSetup extends CompletedLogin {
  readonly backupCodes: readonly string[];
}

type Stage = "setup" | "verify";

/** TFA-2: confirms the setup with a current code, issues backup codes and completes the login. */
export function completeTwoFactorSetup(
  deps: Dependencies,
  input: CompleteTwoFactorSetupInput,
): ResultAsync<CompletedSetup, SecondStepError> {
  return secondStep(deps, input, "setup");
}

/**
 * TFA-3, TFA-5, TFA-10, TFA-12, LCK-6: the second step of a login, against
 * the challenge of the password step: a TOTP code (one step either side,
 * never a step already accepted) or an unused backup code. A wrong or
 * replayed code counts as a failure toward the lock. Every failure is the
 * one `LOGIN_FAILED`.
 */
export function verifySecondFactor(
  deps: Dependencies,
  input: VerifySecondFactorInput,
): ResultAsync<CompletedLogin, SecondStepError> {
  return secondStep(deps, input, "verify").map(({ backupCodes: _, ...login }) => login);
}

function secondStep(
  deps: Dependencies,
  input: unknown,
  stage: Stage,
): ResultAsync<CompletedSetup, SecondStepError> {
  return parseInput(secondStepInput, input).asyncAndThen((request) =>
    // The account is known from the challenge; a dead challenge costs nothing more.
    readOnly(deps, async (tx) => {
      const found = await findLink(tx, request.challenge, "loginChallenge", deps.clock.now());
      const account =
        found?.state.state === "valid" ? await tx.findAccountById(found.link.accountId) : null;
      return ok(account?.email ?? null);
    })
      .andThen((email) =>
        // LCK-9: counted like a login (LCK-6), before the code is checked; a dead challenge counts too.
        ResultAsync.fromSafePromise(
          admit(deps, "login", { email, address: request.clientAddress ?? null }),
        )
          .andThen((admitted) => admitted)
          .map((attempt) => ({ email, attempt })),
      )
      .andThen(({ email, attempt }) => {
        if (email === null) return errAsync(loginFailed());
        // LCK-7 v2: one request per e-mail at a time waits on the store; the rest queue here.
        if (deps.accountQueues.isFull(email)) {
          return ResultAsync.fromSafePromise(attempt.notChecked()).andThen(() =>
            errAsync(queueFull()),
          );
        }
        const queued = deps.accountQueues.run(email, () =>
          runRefusableUnitOfWork<CompletedSetup, never, LoginFailed>(
            deps,
            { accounts: [email] },
            (tx, outbox) => decide(deps, tx, outbox, { ...request, stage }),
            "background",
          ),
        );
        return new ResultAsync(queued).andThen((done) => {
          const completed = attempt.succeeded({ completedLogin: true }).then(() => done);
          return ResultAsync.fromSafePromise(completed);
        });
      }),
  );
}

async function decide(
  deps: Dependencies,
  tx: StorageTx,
  outbox: Outbox,
  request: z.output<typeof secondStepInput> & { stage: Stage },
): Promise<Result<CompletedSetup | CommitThenRefuse<LoginFailed>, never>> {
  const now = deps.clock.now();
  const found = await findLink(tx, request.challenge, "loginChallenge", now);
  if (found === null || found.state.state !== "valid") return commitThenRefuse(loginFailed());
  const holder = await tx.findAccountWithMemberships({ id: found.link.accountId });
  if (holder === null) return commitThenRefuse(loginFailed());
  const { account, memberships } = holder;
  const expected = request.stage === "setup" ? "pending" : "enrolled";
  if (statusOf(account, memberships, now) !== "active" || account.twoFactor?.status !== expected) {
    return commitThenRefuse(loginFailed());
  }
  // Opened once: for the code check and for the rotation check after it.
  const secret = openTotpSecret(deps, account);
  const check = await checkCode(deps, tx, {
    account,
    secret,
    code: request.code,
    stage: request.stage,
    now,
  });
  if (check === null) {
    await recordLoginFailure(deps, tx, outbox, { account, reason: "wrongSecondFactor", now });
    return commitThenRefuse(loginFailed());
  }
  if (!(await tx.consumeLink(found.link.id, now))) return commitThenRefuse(loginFailed());
  return ok(
    await complete(deps, tx, outbox, {
      account,
      request,
      backupUsed: check === "backup",
      secret,
      now,
    }),
  );
}

/** Which factor the code passed as, or `null` for a wrong or replayed code. */
async function checkCode(
  deps: Dependencies,
  tx: StorageTx,
  request: {
    account: AccountRecord;
    secret: Uint8Array | null;
    code: string;
    stage: Stage;
    now: DateTime;
  },
): Promise<"totp" | "backup" | null> {
  const { account, secret, code, stage, now } = request;
  if (/^\d{6}$/.test(code)) {
    const step = secret && matchTotp(secret, code, now, deps.options.twoFactor.window);
    // TFA-10: a code whose step is not newer than the last accepted one is a replay.
    return step !== null && (await tx.acceptTotpStep(account.id, step)) ? "totp" : null;
  }
  if (stage === "setup") return null; // a setup is confirmed with the new secret's code only
  return (await tx.consumeBackupCode(account.id, backupCodeHash(code), now)) ? "backup" : null;
}

async function complete(
  deps: Dependencies,
  tx: StorageTx,
  outbox: Outbox,
  request: {
    account: AccountRecord;
    request: z.output<typeof secondStepInput> & { stage: Stage };
    backupUsed: boolean;
    secret: Uint8Array | null;
    now: DateTime;
  },
): Promise<CompletedSetup> {
  const { now, backupUsed, secret } = request;
  let account = request.account;
  const actor = { type: "account", accountId: account.id } as const;
  const accountId = account.id;
  let backupCodes: string[] = [];
  if (request.request.stage === "setup" && account.twoFactor !== null) {
    account = {
      ...account,
      twoFactor: {
        status: "enrolled",
        sealedSecret: account.twoFactor.sealedSecret,
        enrolledAt: now,
      },
    };
    await tx.updateAccount(account);
    backupCodes = await issueBackupCodes(deps, tx, accountId, now);
    outbox.recordEvent({ type: "twoFactor.enrolled", at: now, actor, accountId });
    sendSecurityNotice(deps, outbox, account, { kind: "twoFactorEnabled" }, now);
    outbox.recordEvent({
      type: "backupCodes.issued",
      at: now,
      actor,
      accountId,
      count: backupCodes.length,
    });
  }
  // TFA-11: a secret sealed under an older key is sealed anew under the newest.
  const resealed = secret && resealIfRotated(deps, account, secret);
  if (resealed && account.twoFactor) {
    account = { ...account, twoFactor: { ...account.twoFactor, sealedSecret: resealed } };
    await tx.updateAccount(account);
  }
  let backupCodesLeft: number | null = null;
  if (backupUsed) {
    backupCodesLeft = await tx.countUnusedBackupCodes(accountId);
    outbox.recordEvent({
      type: "backupCode.used",
      at: now,
      actor,
      accountId,
      remaining: backupCodesLeft,
    });
  }
  const session = await completeLogin(deps, tx, outbox, { account, method: "local", now });
  const rememberedBrowser = request.request.rememberBrowser
    ? await rememberBrowser(deps, tx, outbox, {
        account,
        label: request.request.browserLabel ?? null,
        now,
      })
    : null;
  return { session, rememberedBrowser, backupCodesLeft, backupCodes };
}
