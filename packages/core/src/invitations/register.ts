import { err, ok, ResultAsync, safeTry } from "neverthrow";
import { z } from "zod";
import type {
  InvalidInput,
  InvitationRefused,
  PasswordRefused,
  StorageFailed,
  ThrottleUnavailable,
  TooManyAttempts,
} from "../errors.js";
import { clientAddressSchema } from "../input/client-address.js";
import { parseInput, passwordSchema, tokenSchema } from "../input/schemas.js";
import { screenNewPassword } from "../passwords/steps/screen-password.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { admit } from "../runtime/throttle.js";
import { readOnly, runUnitOfWork } from "../runtime/unit-of-work.js";
import { findWorkingInvitation } from "./steps/find-invitation.js";

export const registerInput = z.object({
  token: tokenSchema,
  password: passwordSchema,
  /** LCK-9: the client's IPv4 or IPv6 address: links guessed from it are throttled. */
  clientAddress: clientAddressSchema.optional(),
});
/** What `register` takes; validated with zod (INP-1). */
export type RegisterInput = z.input<typeof registerInput>;
/** Every error `register` can answer. */
export type RegisterError =
  | InvalidInput
  | TooManyAttempts
  | ThrottleUnavailable
  | InvitationRefused
  | PasswordRefused
  | StorageFailed;

/** What `register` answers. */
export interface Registration {
  readonly accountId: string;
  readonly email: string;
}

/**
 * ACC-6: registering through a working invitation link sets the password
 * (PWD-1) and makes the account registered; its memberships become usable.
 * The password is screened first (PWD-6): a refused one changes nothing and
 * the link still works. A link that does not work changes nothing and says
 * why. The link is consumed here and only here (ACC-9), exactly once under
 * concurrent calls (ACC-8).
 */
export function register(
  deps: Dependencies,
  input: RegisterInput,
): ResultAsync<Registration, RegisterError> {
  return parseInput(registerInput, input).asyncAndThen(({ token, password, clientAddress }) =>
    // LCK-9: links that do not work count against the address; a working one gives its count back.
    ResultAsync.fromSafePromise(
      admit(deps, "registration", { email: null, address: clientAddress ?? null }),
    )
      .andThen((admitted) => admitted)
      // Check the link first, so a forged or dead link costs no screening and
      // no password hash (and nobody without a link can query the screen).
      .andThen((attempt) =>
        readOnly(deps, (tx) => findWorkingInvitation(tx, token, deps.clock.now())).andThen(
          (found) => ResultAsync.fromSafePromise(attempt.succeeded().then(() => found)),
        ),
      )
      .andThen(({ account }) => screenNewPassword(deps, password, account.email).map(() => account))
      .andThen((account) =>
        ResultAsync.fromSafePromise(deps.passwordHasher.hash(password)).map((passwordHash) => ({
          account,
          passwordHash,
        })),
      )
      .andThen(({ account, passwordHash }) =>
        runUnitOfWork(deps, { accounts: [account.email] }, (tx, outbox) =>
          safeTry(async function* () {
            const now = deps.clock.now();
            const { link, account: current } = yield* await findWorkingInvitation(tx, token, now);
            if (!(await tx.consumeLink(link.id, now))) {
              return err({ type: "INVITATION_USED", usedAt: now } as const);
            }
            await tx.updateAccount({ ...current, passwordHash, registeredAt: now });
            outbox.recordEvent({
              type: "account.registered",
              at: now,
              actor: { type: "account", accountId: current.id },
              accountId: current.id,
            });
            return ok({ accountId: current.id, email: current.email });
          }),
        ),
      ),
  );
}
