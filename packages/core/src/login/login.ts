import { errAsync, ok, okAsync, ResultAsync } from "neverthrow";
import { z } from "zod";
import { recordLoginFailure } from "../accounts/steps/record-login-failure.js";
import {
  type InvalidInput,
  type LoginFailed,
  loginFailed,
  type StorageFailed,
  type ThrottleUnavailable,
  type TooManyAttempts,
} from "../errors.js";
import { clientAddressSchema } from "../input/client-address.js";
import {
  emailSchema,
  enteredPasswordSchema,
  isWellFormedText,
  parseInput,
  tokenSchema,
} from "../input/schemas.js";
import { type Answer, answerEarly } from "../runtime/answer-early.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { admit, queueFull } from "../runtime/throttle.js";
import { runUnitOfWork } from "../runtime/unit-of-work.js";
import { setupScreen } from "../two-factor/steps/secret.js";
import { type Decision, type LoginStep, passwordStep } from "./steps/password-step.js";

export const loginInput = z.object({
  email: emailSchema,
  password: enteredPasswordSchema,
  /**
   * LCK-9: the client's IPv4 or IPv6 address, for the per-address throttle.
   * Without it only the per-e-mail and per-instance counters apply: pass it.
   */
  clientAddress: clientAddressSchema.optional(),
  /**
   * TFA-7: the remembered-browser token the host keeps in a cookie, if any. A
   * cookie is only a hint: a malformed or stale one counts as absent (the code
   * is asked) instead of refusing the login. Text that is not well-formed
   * (NUL, a lone surrogate) is bad input like in every field (INP-1 v2).
   */
  rememberedBrowserToken: z
    .unknown()
    .refine(
      (token) => typeof token !== "string" || isWellFormedText(token),
      "NUL and lone surrogates are not allowed",
    )
    .transform((token) => (tokenSchema.safeParse(token).success ? (token as string) : undefined))
    .optional(),
});
/** What `login` takes; validated with zod (INP-1). */
export type LoginInput = z.input<typeof loginInput>;
/** Every error `login` can answer. */
export type LoginError =
  | InvalidInput
  | LoginFailed
  | TooManyAttempts
  | ThrottleUnavailable
  | StorageFailed;

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
 *   The failure is answered as soon as the check says no (LCK-8 v2): the
 *   count that only a registered account writes, and the commit, come after
 *   the answer (awaited by `settled()`), so a wrong password and an unknown
 *   e-mail take the same time on every store. The account stays locked for
 *   the next attempt until that write has committed (LCK-7).
 * - LCK-1 v2: a correct password alone does not zero the failure count; only
 *   a completed login (or a password reset) does.
 * - PWD-7: a correct password whose hash has weaker parameters than the
 *   current ones is hashed anew in the same unit of work.
 * - Mail from this step (a lock) is delivered in the background, so its
 *   latency cannot tell a caller what happened.
 */
export function login(deps: Dependencies, input: LoginInput): ResultAsync<LoginStep, LoginError> {
  return parseInput(loginInput, input).asyncAndThen((request) =>
    // LCK-9: throttled before any lock is taken or any hash checked.
    ResultAsync.fromSafePromise(
      admit(deps, "login", { email: request.email, address: request.clientAddress ?? null }),
    )
      .andThen((admitted) => admitted)
      .andThen((attempt) =>
        // LCK-7 v2: too many already waiting for this e-mail in this process: refused at once.
        (deps.accountQueues.isFull(request.email)
          ? ResultAsync.fromSafePromise(attempt.notChecked()).andThen(() =>
              errAsync<LoginStep, LoginError>(queueFull()),
            )
          : passwordStepWithLock(deps, request)
        ).andThen((step) =>
          ResultAsync.fromSafePromise(
            attempt.succeeded({ completedLogin: step.next === "done" }).then(() => step),
          ),
        ),
      ),
  );
}

/** The password step under the account's lock, answered early on failure (LCK-8 v2). */
function passwordStepWithLock(
  deps: Dependencies,
  request: z.output<typeof loginInput>,
): ResultAsync<LoginStep, LoginFailed | StorageFailed> {
  /** The account a wrong password was answered for, whose count must not be lost. */
  let guessed: string | null = null;
  // LCK-7 v2: one request per e-mail at a time waits on the store; the rest queue here.
  const decide = (answer: Answer<Decision>) =>
    new ResultAsync(
      deps.accountQueues.run(request.email, () =>
        runUnitOfWork<Decision, never>(
          deps,
          { accounts: [request.email] },
          (tx, outbox) =>
            passwordStep(deps, tx, outbox, request, (decision, accountId) => {
              guessed = accountId;
              answer(decision);
            }),
          "background",
        ),
      ),
    );
  // LCK-7: a count lost after its answer is written again in a fresh unit of work.
  const recover = async () => ({
    saved: guessed !== null && (await recountWrongPassword(deps, request.email, guessed)),
    accountId: guessed,
  });
  return answerEarly(deps, "login", decide, recover).andThen((decision) => {
    if (!("step" in decision)) return errAsync(loginFailed());
    const { step } = decision;
    if (step.next !== "secondFactorSetup") return okAsync<LoginStep>(step);
    // The QR code is rendered after the commit, outside the account's lock.
    const { secret, email: label, ...rest } = step;
    return ResultAsync.fromSafePromise(setupScreen(deps, label, secret)).map(
      (setup): LoginStep => ({ ...rest, setup }),
    );
  });
}

/**
 * LCK-7: writes a wrong password's count again, in a fresh unit of work, when
 * the one that answered it failed to commit (a connection lost after the
 * answer), so that a failing store gives no guess for free. Answers whether
 * the count is saved.
 */
async function recountWrongPassword(
  deps: Dependencies,
  email: string,
  accountId: string,
): Promise<boolean> {
  const saved = await runUnitOfWork(deps, { accounts: [email] }, async (tx, outbox) => {
    const account = await tx.findAccountById(accountId);
    if (account === null) return ok(false);
    const now = deps.clock.now();
    await recordLoginFailure(deps, tx, outbox, { account, reason: "wrongPassword", now });
    return ok(true);
  });
  return saved.unwrapOr(false);
}
