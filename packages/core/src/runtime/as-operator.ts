import type { DateTime } from "luxon";
import { err, type Result, type ResultAsync } from "neverthrow";
import type { z } from "zod";
import type { AccountRecord } from "../domain/account.js";
import type { Actor } from "../domain/actor.js";
import {
  type AccountNotFound,
  accountNotFound,
  type Forbidden,
  forbidden,
  type InvalidInput,
  type StorageFailed,
} from "../errors.js";
import { parseInput } from "../input/schemas.js";
import type { StorageTx } from "../ports/storage.js";
import type { Dependencies } from "./dependencies.js";
import type { Outbox } from "./outbox.js";
import { runUnitOfWork } from "./unit-of-work.js";

/** What every support-team request names: who asks, about which account. */
export interface SupportRequest {
  readonly actor: Actor;
  readonly email: string;
}

/** What the support team's work gets once the request is valid and the actor allowed. */
export interface SupportStep {
  readonly actor: Extract<Actor, { type: "operator" }>;
  readonly account: AccountRecord;
  readonly now: DateTime;
  readonly tx: StorageTx;
  readonly outbox: Outbox;
}

/** Why a support-team request was refused before its work ran. */
export type SupportRefusal = InvalidInput | Forbidden | AccountNotFound | StorageFailed;

/**
 * The skeleton of every support-team use case (LCK-5, TFA-8 v2): validate the
 * input (INP-1), lock the account named, refuse anyone but an `operator`
 * actor with `FORBIDDEN`, find the account, then run `work`.
 */
export function asOperator<R extends SupportRequest, T, E>(
  deps: Dependencies,
  schema: z.ZodType<R, unknown>,
  input: unknown,
  work: (step: SupportStep) => PromiseLike<Result<T, E>>,
): ResultAsync<T, E | SupportRefusal> {
  return parseInput(schema, input).asyncAndThen(({ actor, email }) =>
    runUnitOfWork<T, E | Forbidden | AccountNotFound>(
      deps,
      { accounts: [email] },
      async (tx, outbox) => {
        if (actor.type !== "operator") return err(forbidden());
        const account = await tx.findAccountByEmail(email);
        if (account === null) return err(accountNotFound());
        return work({ actor, account, now: deps.clock.now(), tx, outbox });
      },
    ),
  );
}
