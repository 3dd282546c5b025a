import type { DateTime } from "luxon";
import { err, ok, type Result } from "neverthrow";
import { statusOf } from "../domain/account.js";
import type { Actor } from "../domain/actor.js";
import { isLiveAdministrator } from "../domain/membership.js";
import type { PanelRecord } from "../domain/panel.js";
import { type Forbidden, forbidden, type PanelNotFound, panelNotFound } from "../errors.js";
import type { StorageTx } from "../ports/storage.js";

/**
 * ACC-5: only an administrator of the panel may administer it: an `account`
 * actor whose account is active and whose membership of this panel is a live
 * administrator one. Operators and the system are refused here too.
 */
export async function authorizeAdministrator(
  tx: StorageTx,
  actor: Actor,
  panelId: string,
  now: DateTime,
): Promise<Result<PanelRecord, Forbidden | PanelNotFound>> {
  const panel = await tx.findPanel(panelId);
  if (panel === null) return err(panelNotFound());
  if (actor.type !== "account") return err(forbidden());
  const found = await tx.findAccountWithMemberships({ id: actor.accountId });
  if (found === null || statusOf(found.account, found.memberships, now) !== "active")
    return err(forbidden());
  const here = found.memberships.find((m) => m.panelId === panelId);
  if (here === undefined || !isLiveAdministrator(here, now)) return err(forbidden());
  return ok(panel);
}
