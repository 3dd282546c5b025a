import { err, ok, type Result, ResultAsync } from "neverthrow";
import type { PasswordRefused } from "../../errors.js";
import type { Dependencies } from "../../runtime/dependencies.js";
import { withTimeout } from "../../runtime/with-timeout.js";

/**
 * PWD-6: screens a new password (registration, reset; never login) for the
 * account with `email`, before it is hashed and before anything changes.
 * Fail closed: a screen that throws, rejects or answers something that is not
 * a verdict, or does not answer within `passwordScreenTimeout`, refuses the
 * password with `PASSWORD_SCREEN_UNAVAILABLE`.
 */
export function screenNewPassword(
  deps: Dependencies,
  password: string,
  email: string,
): ResultAsync<void, PasswordRefused> {
  const context = { email, productName: deps.options.twoFactor.issuer };
  return ResultAsync.fromPromise(
    // Inside the async function, so a screen that throws at once is caught too.
    withTimeout(
      (async () => deps.passwordScreen.screen(password, context))(),
      deps.options.passwordScreenTimeout.toMillis(),
      "the password screen",
    ),
    (cause): PasswordRefused => ({ type: "PASSWORD_SCREEN_UNAVAILABLE", cause }),
  ).andThen((verdict): Result<void, PasswordRefused> => {
    if (verdict?.accepted === true) return ok(undefined);
    if (verdict?.accepted === false && typeof verdict.reason === "string") {
      return err({ type: "PASSWORD_TOO_COMMON", reason: verdict.reason });
    }
    return err({
      type: "PASSWORD_SCREEN_UNAVAILABLE",
      cause: new TypeError("the password screen answered something that is not a verdict"),
    });
  });
}
