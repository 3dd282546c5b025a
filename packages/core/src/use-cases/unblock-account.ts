import { err, ok, type ResultAsync } from "neverthrow";
import { z } from "zod";
import { afterUnblock } from "../domain/lockout.js";
import {
  type AccountNotFound,
  accountNotFound,
  type Forbidden,
  forbidden,
  type InvalidInput,
  type NotBlocked,
  type StorageFailed,
} from "../errors.js";
import { actorSchema, emailSchema, parseInput } from "../input/schemas.js";
import type { Dependencies } from "./dependencies.js";
import { runUnitOfWork } from "./unit-of-work.js";

export const unblockAccountInput = z.object({ actor: actorSchema, email: emailSchema });
/** What `unblockAccount` takes; validated with zod (INP-1). */
export type UnblockAccountInput = z.input<typeof unblockAccountInput>;
/** Every error `unblockAccount` can answer. */
export type UnblockAccountError =
  | InvalidInput
  | Forbidden
  | AccountNotFound
  | NotBlocked
  | StorageFailed;

/**
 * LCK-5: only the support team (an `operator` actor) lifts a permanent block.
 * The account starts afresh: no lock, no failures, no lock row. Audited.
 */
export function unblockAccount(
  deps: Dependencies,
  input: UnblockAccountInput,
): ResultAsync<{ readonly accountId: string }, UnblockAccountError> {
  return parseInput(unblockAccountInput, input).asyncAndThen(({ actor, email }) =>
    runUnitOfWork(deps, { accounts: [email] }, async (tx, outbox) => {
      if (actor.type !== "operator") return err(forbidden());
      const account = await tx.findAccountByEmail(email);
      if (account === null) return err(accountNotFound());
      if (account.lockout.blockedAt === null) return err({ type: "NOT_BLOCKED" } as const);
      await tx.updateAccount({ ...account, lockout: afterUnblock() });
      outbox.recordEvent({
        type: "account.unblocked",
        at: deps.clock.now(),
        actor,
        accountId: account.id,
      });
      return ok({ accountId: account.id });
    }),
  );
}
