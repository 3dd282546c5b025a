import { err, ok, type ResultAsync } from "neverthrow";
import { z } from "zod";
import {
  type AccountNotFound,
  accountNotFound,
  type Forbidden,
  forbidden,
  type InvalidInput,
  type PanelNotFound,
  panelNotFound,
  type StorageFailed,
} from "../errors.js";
import {
  activityFiltersShape,
  actorSchema,
  emailSchema,
  idSchema,
  parseInput,
  withOrderedWindow,
} from "../input/schemas.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { readOnly } from "../runtime/unit-of-work.js";
import { type ActivityPage, readActivity } from "./steps/read-activity.js";

export const listAllActivityInput = withOrderedWindow(
  z.object({
    actor: actorSchema,
    /** Only the events about this account. */
    accountEmail: emailSchema.optional(),
    /** Only the events about this panel. */
    panelId: idSchema.optional(),
    ...activityFiltersShape,
  }),
);
/**
 * What `listAllActivity` takes; validated with zod (INP-1): who asks, maybe
 * an account (`accountEmail`) or a panel, and the filters: `from`
 * (inclusive), `to` (exclusive), `types`, `cursor`, `limit` (@default 50, at
 * most 200).
 */
export type ListAllActivityInput = z.input<typeof listAllActivityInput>;
/** Every error `listAllActivity` can answer. */
export type ListAllActivityError =
  | InvalidInput
  | Forbidden
  | AccountNotFound
  | PanelNotFound
  | StorageFailed;

/**
 * AUD-2: the whole audit trail for the support team (an `operator` actor),
 * newest first, optionally about one account or one panel. Anyone else is
 * `FORBIDDEN`, answered before the e-mail or panel is looked up; then an
 * unknown e-mail is `ACCOUNT_NOT_FOUND` and an unknown panel
 * `PANEL_NOT_FOUND`. (Failed logins for an e-mail with no account have no
 * account: list them by type, `login.failed`.) Read-only.
 */
export function listAllActivity(
  deps: Dependencies,
  input: ListAllActivityInput,
): ResultAsync<ActivityPage, ListAllActivityError> {
  return parseInput(listAllActivityInput, input).asyncAndThen(
    ({ actor, accountEmail, panelId, ...filters }) =>
      readOnly(deps, async (tx) => {
        if (actor.type !== "operator") return err(forbidden());
        const account =
          accountEmail === undefined ? undefined : await tx.findAccountByEmail(accountEmail);
        if (account === null) return err(accountNotFound());
        if (panelId !== undefined && (await tx.findPanel(panelId)) === null)
          return err(panelNotFound());
        const scope = {
          ...(account !== undefined && { accountId: account.id }),
          ...(panelId !== undefined && { panelId }),
        };
        return ok(await readActivity(deps, tx, deps.clock.now(), scope, filters));
      }),
  );
}
