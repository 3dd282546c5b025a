import type { DateTime } from "luxon";
import { type AccessTerm, hasAccessEnded } from "./access.js";

/** The role that may administer a panel (ACC-5). Any other non-empty name is an ordinary role. */
export const ADMINISTRATOR_ROLE = "administrator";

/** An account's access to one panel: a role and an access term. */
export interface MembershipRecord {
  readonly accountId: string;
  readonly panelId: string;
  readonly role: string;
  readonly access: AccessTerm;
  readonly grantedAt: DateTime;
  readonly updatedAt: DateTime;
}

/** A membership is live while its access has not ended (PNL-1). */
export function isMembershipLive(membership: MembershipRecord, now: DateTime): boolean {
  return !hasAccessEnded(membership.access, now);
}

export function isLiveAdministrator(membership: MembershipRecord, now: DateTime): boolean {
  return membership.role === ADMINISTRATOR_ROLE && isMembershipLive(membership, now);
}
