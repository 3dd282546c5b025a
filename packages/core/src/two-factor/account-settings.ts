import type { DateTime } from "luxon";
import { err, ok, type Result, type ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import { recordLoginFailure } from "../accounts/steps/record-login-failure.js";
import {
  type InvalidInput,
  type LoginFailed,
  loginFailed,
  type SecondFactorSessionRequired,
  type SessionInvalid,
  type StorageFailed,
} from "../errors.js";
import { enteredPasswordSchema, idSchema, parseInput, tokenSchema } from "../input/schemas.js";
import { checkPassword } from "../passwords/steps/check-password.js";
import type { StorageTx } from "../ports/storage.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { sendSecurityNotice } from "../runtime/steps/security-notice.js";
import {
  commitThenRefuse,
  readOnly,
  runRefusableUnitOfWork,
  runUnitOfWork,
} from "../runtime/unit-of-work.js";
import { type Authenticated, authenticate } from "../sessions/steps/authenticate.js";
import { issueBackupCodes } from "./steps/backup-codes.js";

const sessionInput = z.object({ sessionToken: tokenSchema });
type SettingsError = InvalidInput | SessionInvalid | SecondFactorSessionRequired | StorageFailed;

/**
 * TFA-9 v2: the session a token names, if it works and was opened by a login
 * that passed the library's second factor. An SSO session manages nothing of
 * the account's credentials: `SECOND_FACTOR_SESSION_REQUIRED`.
 */
async function authenticateWithSecondFactor(
  deps: Dependencies,
  tx: StorageTx,
  sessionToken: string,
  now: DateTime,
): Promise<Result<Authenticated, SessionInvalid | SecondFactorSessionRequired>> {
  const found = await authenticate(deps, tx, sessionToken, now);
  if (found.isOk() && found.value.session.method !== "local") {
    return err({ type: "SECOND_FACTOR_SESSION_REQUIRED" });
  }
  return found;
}

export const regenerateBackupCodesInput = z.object({
  sessionToken: tokenSchema,
  /** TFA-6: the password, entered again. */
  password: enteredPasswordSchema,
});
/** What `regenerateBackupCodes` takes; validated with zod (INP-1). */
export type RegenerateBackupCodesInput = z.input<typeof regenerateBackupCodesInput>;

/**
 * TFA-6: a new set of backup codes after the password is entered again; the
 * old set stops working at once. A wrong password answers `LOGIN_FAILED` and
 * counts toward the lock like any other (LCK-1). The password is checked
 * inside the account's unit of work, as at login (LCK-7).
 */
export function regenerateBackupCodes(
  deps: Dependencies,
  input: RegenerateBackupCodesInput,
): ResultAsync<{ readonly backupCodes: readonly string[] }, SettingsError | LoginFailed> {
  return parseInput(regenerateBackupCodesInput, input).asyncAndThen(({ sessionToken, password }) =>
    readOnly(deps, async (tx) =>
      (await authenticateWithSecondFactor(deps, tx, sessionToken, deps.clock.now())).map(
        (a) => a.account.email,
      ),
    ).andThen((email) =>
      runRefusableUnitOfWork(
        deps,
        { accounts: [email] },
        (tx, outbox) =>
          safeTry(async function* () {
            const now = deps.clock.now();
            const { account } = yield* await authenticateWithSecondFactor(
              deps,
              tx,
              sessionToken,
              now,
            );
            const check = await checkPassword(deps, account.passwordHash, password);
            if (!check.matches) {
              await recordLoginFailure(deps, tx, outbox, { account, reason: "wrongPassword", now });
              return commitThenRefuse(loginFailed());
            }
            if (check.upgradedHash !== null) {
              await tx.updateAccount({ ...account, passwordHash: check.upgradedHash });
            }
            const backupCodes = await issueBackupCodes(deps, tx, account.id, now);
            sendSecurityNotice(deps, outbox, account, { kind: "backupCodesRegenerated" }, now);
            const actor = { type: "account", accountId: account.id } as const;
            outbox.recordEvent({
              type: "backupCodes.issued",
              at: now,
              actor,
              accountId: account.id,
              count: backupCodes.length,
            });
            return ok({ backupCodes });
          }),
        "background",
      ),
    ),
  );
}

/** TFA-5: how many unused backup codes the session's account has left. */
export function countBackupCodes(
  deps: Dependencies,
  input: z.input<typeof sessionInput>,
): ResultAsync<{ readonly unused: number }, SettingsError> {
  return parseInput(sessionInput, input).asyncAndThen(({ sessionToken }) =>
    readOnly(deps, (tx) =>
      safeTry(async function* () {
        const { account } = yield* await authenticateWithSecondFactor(
          deps,
          tx,
          sessionToken,
          deps.clock.now(),
        );
        return ok({ unused: await tx.countUnusedBackupCodes(account.id) });
      }),
    ),
  );
}

/** TFA-13: one remembered browser as a person sees it in their settings. */
export interface RememberedBrowserView {
  readonly id: string;
  readonly label: string | null;
  readonly createdAt: DateTime;
  readonly lastUsedAt: DateTime;
  readonly expiresAt: DateTime;
}

/** TFA-13: the session's account's remembered browsers that still work, newest first. */
export function listRememberedBrowsers(
  deps: Dependencies,
  input: z.input<typeof sessionInput>,
): ResultAsync<RememberedBrowserView[], SettingsError> {
  return parseInput(sessionInput, input).asyncAndThen(({ sessionToken }) =>
    readOnly(deps, (tx) =>
      safeTry(async function* () {
        const now = deps.clock.now();
        const { account } = yield* await authenticateWithSecondFactor(deps, tx, sessionToken, now);
        const browsers = await tx.listRememberedBrowsers(account.id);
        return ok(
          browsers
            .filter((b) => now.toMillis() < b.expiresAt.toMillis())
            .sort((a, b) => b.createdAt.toMillis() - a.createdAt.toMillis())
            .map(({ id, label, createdAt, lastUsedAt, expiresAt }) => ({
              id,
              label,
              createdAt,
              lastUsedAt,
              expiresAt,
            })),
        );
      }),
    ),
  );
}

export const forgetRememberedBrowserInput = z.object({
  sessionToken: tokenSchema,
  /** One browser's id (from the list); all of them when absent. */
  browserId: idSchema.optional(),
});
/** What `forgetRememberedBrowser` takes; validated with zod (INP-1). */
export type ForgetRememberedBrowserInput = z.input<typeof forgetRememberedBrowserInput>;

/**
 * TFA-13: forgets one remembered browser of the session's account, or all of
 * them; those browsers are asked for the second factor again. A browser id of
 * another account is `REMEMBERED_BROWSER_NOT_FOUND`, and nothing changes.
 */
export function forgetRememberedBrowsers(
  deps: Dependencies,
  input: ForgetRememberedBrowserInput,
): ResultAsync<
  { readonly forgotten: number },
  SettingsError | { readonly type: "REMEMBERED_BROWSER_NOT_FOUND" }
> {
  return parseInput(forgetRememberedBrowserInput, input).asyncAndThen(
    ({ sessionToken, browserId }) =>
      runUnitOfWork(deps, {}, (tx, outbox) =>
        safeTry(async function* () {
          const now = deps.clock.now();
          const { account } = yield* await authenticateWithSecondFactor(
            deps,
            tx,
            sessionToken,
            now,
          );
          let browserIds: string[];
          if (browserId === undefined) {
            browserIds = await tx.deleteRememberedBrowsersOfAccount(account.id);
          } else {
            const browser = await tx.findRememberedBrowser(browserId);
            if (browser === null || browser.accountId !== account.id) {
              return err({ type: "REMEMBERED_BROWSER_NOT_FOUND" } as const);
            }
            await tx.deleteRememberedBrowser(browserId);
            browserIds = [browserId];
          }
          if (browserIds.length > 0) {
            const actor = { type: "account", accountId: account.id } as const;
            outbox.recordEvent({
              type: "rememberedBrowsers.forgotten",
              at: now,
              actor,
              accountId: account.id,
              browserIds,
            });
          }
          return ok({ forgotten: browserIds.length });
        }),
      ),
  );
}
