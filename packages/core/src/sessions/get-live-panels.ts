import { err, ok, type Result, type ResultAsync } from "neverthrow";
import { z } from "zod";
import { statusOf } from "../domain/account.js";
import {
  type AccountNotFound,
  accountNotFound,
  type InvalidInput,
  type StorageFailed,
} from "../errors.js";
import { idSchema, parseInput } from "../input/schemas.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { readOnly } from "../runtime/unit-of-work.js";
import { type LivePanel, livePanelsOf } from "./steps/live-panels.js";

export const getLivePanelsInput = z.object({ accountId: idSchema });
/** What `getLivePanels` takes; validated with zod (INP-1). */
export type GetLivePanelsInput = z.input<typeof getLivePanelsInput>;
/** Every error `getLivePanels` can answer. */
export type GetLivePanelsError = InvalidInput | AccountNotFound | StorageFailed;

/**
 * PNL-7: the panels the account can enter right now. Checked at each use, not
 * only at login: a membership that has ended or was removed is absent at once.
 * An account that is not active (unregistered, locked, blocked, expired)
 * reaches no panel.
 */
export function getLivePanels(
  deps: Dependencies,
  input: GetLivePanelsInput,
): ResultAsync<LivePanel[], GetLivePanelsError> {
  return parseInput(getLivePanelsInput, input).asyncAndThen(({ accountId }) =>
    readOnly(deps, async (tx): Promise<Result<LivePanel[], AccountNotFound>> => {
      const now = deps.clock.now();
      const found = await tx.findAccountWithMemberships({ id: accountId });
      if (found === null) return err(accountNotFound());
      const { account, memberships } = found;
      if (statusOf(account, memberships, now) !== "active") return ok([]);
      return ok(await livePanelsOf(tx, memberships, now));
    }),
  );
}

export type { LivePanel } from "./steps/live-panels.js";
