import { err, ok, type ResultAsync } from "neverthrow";
import { z } from "zod";
import { afterUnblock } from "../domain/lockout.js";
import type {
  AccountNotFound,
  Forbidden,
  InvalidInput,
  NotBlocked,
  StorageFailed,
} from "../errors.js";
import { actorSchema, emailSchema } from "../input/schemas.js";
import { asOperator } from "../runtime/as-operator.js";
import type { Dependencies } from "../runtime/dependencies.js";

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
  return asOperator(
    deps,
    unblockAccountInput,
    input,
    async ({ actor, account, now, tx, outbox }) => {
      if (account.lockout.blockedAt === null) return err({ type: "NOT_BLOCKED" } as const);
      await tx.updateAccount({ ...account, lockout: afterUnblock() });
      outbox.recordEvent({ type: "account.unblocked", at: now, actor, accountId: account.id });
      return ok({ accountId: account.id });
    },
  );
}
