import { err, ok, type ResultAsync } from "neverthrow";
import { z } from "zod";
import type { Forbidden, InvalidInput, PanelNotFound, StorageFailed } from "../errors.js";
import {
  activityFiltersShape,
  actorSchema,
  idSchema,
  parseInput,
  withOrderedWindow,
} from "../input/schemas.js";
import { authorizeAdministrator } from "../runtime/authorize.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { readOnly } from "../runtime/unit-of-work.js";
import { type ActivityPage, readActivity } from "./steps/read-activity.js";

export const listPanelActivityInput = withOrderedWindow(
  z.object({ actor: actorSchema, panelId: idSchema, ...activityFiltersShape }),
);
/**
 * What `listPanelActivity` takes; validated with zod (INP-1): who asks, the
 * panel, and the filters: `from` (inclusive), `to` (exclusive), `types`,
 * `cursor` (a `nextCursor` answered before), `limit` (@default 50, at most 200).
 */
export type ListPanelActivityInput = z.input<typeof listPanelActivityInput>;
/** Every error `listPanelActivity` can answer. */
export type ListPanelActivityError = InvalidInput | PanelNotFound | Forbidden | StorageFailed;

/**
 * AUD-2: the panel's audit trail for its administrators (ACC-5, like
 * `listMembers`): every event about this panel (created, people invited,
 * added, changed, removed, restored, 2FA reset by its administrators), who
 * did it and to whom, newest first. Anyone else is `FORBIDDEN`. Read-only.
 */
export function listPanelActivity(
  deps: Dependencies,
  input: ListPanelActivityInput,
): ResultAsync<ActivityPage, ListPanelActivityError> {
  return parseInput(listPanelActivityInput, input).asyncAndThen(({ actor, panelId, ...filters }) =>
    readOnly(deps, async (tx) => {
      const now = deps.clock.now();
      const panel = await authorizeAdministrator(tx, actor, panelId, now);
      if (panel.isErr()) return err(panel.error);
      return ok(await readActivity(deps, tx, now, { panelId }, filters));
    }),
  );
}
