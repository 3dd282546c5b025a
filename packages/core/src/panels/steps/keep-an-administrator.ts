import type { DateTime } from "luxon";
import { err, ok, type Result } from "neverthrow";
import { isLiveAdministrator, type MembershipRecord } from "../../domain/membership.js";
import type { LastAdministrator } from "../../errors.js";
import type { StorageTx } from "../../ports/storage.js";

/**
 * PNL-6: refuses to take `leaving` (a membership about to be removed or
 * demoted) away when it is the panel's last live administrator membership.
 * Runs under the panel's lock, so two administrators cannot remove each other.
 */
export async function keepAnAdministrator(
  tx: StorageTx,
  leaving: MembershipRecord,
  now: DateTime,
): Promise<Result<void, LastAdministrator>> {
  if (!isLiveAdministrator(leaving, now)) return ok(undefined);
  const members = await tx.listMembershipsOfPanel(leaving.panelId);
  const others = members.filter(
    (m) => m.accountId !== leaving.accountId && isLiveAdministrator(m, now),
  );
  return others.length > 0 ? ok(undefined) : err({ type: "LAST_ADMINISTRATOR" });
}
