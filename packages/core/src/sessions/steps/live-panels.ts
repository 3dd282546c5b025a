import type { DateTime } from "luxon";
import type { AccessTerm } from "../../domain/access.js";
import { isMembershipLive, type MembershipRecord } from "../../domain/membership.js";
import type { PanelRecord } from "../../domain/panel.js";
import type { StorageTx } from "../../ports/storage.js";

/** A panel the account can enter now, with its role and access term there. */
export interface LivePanel {
  readonly panel: PanelRecord;
  readonly role: string;
  readonly access: AccessTerm;
}

/**
 * PNL-7: the panels these memberships reach at `now`, optionally narrowed
 * (an SSO session reaches only SSO panels, TFA-9).
 */
export async function livePanelsOf(
  tx: StorageTx,
  memberships: readonly MembershipRecord[],
  now: DateTime,
  reaches: (panel: PanelRecord) => boolean = () => true,
): Promise<LivePanel[]> {
  const live = memberships.filter((m) => isMembershipLive(m, now));
  return livePanelsAmong(live, await tx.findPanels(live.map((m) => m.panelId)), now, reaches);
}

/**
 * PNL-7: `livePanelsOf` when the panels are already read: the live ones of
 * `memberships` at `now` whose panel is among `panels` and `reaches` allows.
 */
export function livePanelsAmong(
  memberships: readonly MembershipRecord[],
  panels: readonly PanelRecord[],
  now: DateTime,
  reaches: (panel: PanelRecord) => boolean = () => true,
): LivePanel[] {
  const byId = new Map(panels.map((p) => [p.id, p]));
  return memberships.flatMap((m) => {
    const panel = byId.get(m.panelId);
    return panel && isMembershipLive(m, now) && reaches(panel)
      ? [{ panel, role: m.role, access: m.access }]
      : [];
  });
}
