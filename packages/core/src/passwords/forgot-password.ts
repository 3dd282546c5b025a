import { errAsync, ok, type Result, ResultAsync } from "neverthrow";
import { z } from "zod";
import {
  type Busy,
  busy,
  type InvalidInput,
  type StorageFailed,
  type ThrottleUnavailable,
  type TooManyAttempts,
} from "../errors.js";
import { clientAddressSchema } from "../input/client-address.js";
import { emailSchema, parseInput } from "../input/schemas.js";
import type { StorageTx } from "../ports/storage.js";
import { answerEarly } from "../runtime/answer-early.js";
import type { Dependencies } from "../runtime/dependencies.js";
import type { Outbox } from "../runtime/outbox.js";
import { admit } from "../runtime/throttle.js";
import { runUnitOfWork } from "../runtime/unit-of-work.js";
import { issuePasswordReset } from "./steps/issue-password-reset.js";

export const forgotPasswordInput = z.object({
  email: emailSchema,
  /** LCK-9: the client's IPv4 or IPv6 address, for the per-address throttle. */
  clientAddress: clientAddressSchema.optional(),
});
/** What `forgotPassword` takes; validated with zod (INP-1). */
export type ForgotPasswordInput = z.input<typeof forgotPasswordInput>;
/** Every error `forgotPassword` can answer. */
export type ForgotPasswordError =
  | InvalidInput
  | TooManyAttempts
  | ThrottleUnavailable
  | Busy
  | StorageFailed;

/**
 * PWD-2: "forgot password". A registered account that is not permanently
 * blocked gets a reset link (PWD-3: 1 hour, only the latest works). An
 * unknown, unregistered or blocked e-mail gets nothing.
 *
 * PWD-2 v2: the answer is the same for everyone, in content and in time: it
 * is given once the input is valid, and the account's work (the link, the
 * queued mail) runs after it, awaited by `settled()`; its delivery runs
 * after that, outside the slot, so a slow mail server holds no slot. A
 * failure of that work is reported as a `backgroundWork.failed` event.
 * At most `maxBackgroundWork` such works run at once per instance; a request
 * beyond that waits for a slot, and past ten times that many waiting, the
 * answer is `BUSY` at once, whatever the e-mail.
 */
export function forgotPassword(
  deps: Dependencies,
  input: ForgotPasswordInput,
): ResultAsync<void, ForgotPasswordError> {
  return parseInput(forgotPasswordInput, input).asyncAndThen(({ email, clientAddress }) =>
    // LCK-9: every request counts, for a known e-mail and an unknown one alike.
    ResultAsync.fromSafePromise(
      admit(deps, "forgotPassword", { email, address: clientAddress ?? null }),
    )
      .andThen((admitted) => admitted)
      .andThen(() => answerInTurn(deps, email)),
  );
}

/** PWD-2 v2: a slot, the answer, then the account's work. */
function answerInTurn(deps: Dependencies, email: string): ResultAsync<void, ForgotPasswordError> {
  const slots = deps.backgroundSlots;
  if (slots.pendingCount >= slots.concurrency * QUEUE_FACTOR) {
    return errAsync<void, ForgotPasswordError>(busy());
  }
  return answerEarly<void, ForgotPasswordError>(
    deps,
    "forgotPassword",
    (answer) =>
      // A slot first (the same wait for every e-mail), then the answer, then the work.
      new ResultAsync(
        deps.backgroundSlots(() => {
          answer(undefined);
          return forgotten(deps, email);
        }),
      ),
  );
}

/** How many forgot-password requests may wait for a slot, in `maxBackgroundWork`s. */
const QUEUE_FACTOR = 10;

/** The account's side of "forgot password", after the answer. */
function forgotten(deps: Dependencies, email: string): ResultAsync<void, StorageFailed> {
  const work = async (tx: StorageTx, outbox: Outbox): Promise<Result<void, never>> => {
    const now = deps.clock.now();
    const account = await tx.findAccountByEmail(email);
    if (account === null || account.registeredAt === null || account.lockout.blockedAt !== null) {
      return ok(undefined);
    }
    const actor = { type: "anonymous" } as const;
    // PWD-5: past the limit nothing is sent and the latest link stays valid.
    const { links, per } = deps.options.passwordResetLimit;
    const since = now.minus(per);
    if ((await tx.countLinksIssuedSince(account.id, "passwordReset", since)) >= links) {
      outbox.recordEvent({ type: "passwordReset.limited", at: now, actor, accountId: account.id });
      return ok(undefined);
    }
    const reset = await issuePasswordReset(deps, tx, outbox, { account, actor, now });
    outbox.sendMail(
      { kind: "passwordReset", to: account.email, link: reset.url, expiresAt: reset.expiresAt },
      account.id,
    );
    return ok(undefined);
  };
  // The mail is delivered after the commit, outside the slot (a slow server holds none).
  return runUnitOfWork(deps, { accounts: [email] }, work, "background");
}
