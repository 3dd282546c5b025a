import { DateTime, Duration } from "luxon";
import { type AccessTerm, longestLivedAccess } from "./access.js";
import { isMembershipLive, type MembershipRecord } from "./membership.js";
import type { LinkState } from "./one-time-link.js";
import { addDuration } from "./time.js";

/** ACC-3: an invitation is valid for at most 7 days (7 × 24 h). */
export const INVITATION_VALIDITY: Duration = Duration.fromObject({ hours: 7 * 24 });

/**
 * ACC-3: `min(sentAt + validity, endsAt of the temporary access)`.
 * Permanent access, or temporary access ending after the validity: `sentAt + validity`.
 */
export function invitationExpiresAt(
  sentAt: DateTime,
  access: AccessTerm,
  validity: Duration = INVITATION_VALIDITY,
): DateTime {
  const byValidity = addDuration(sentAt, validity);
  if (access.type === "permanent") return byValidity;
  return DateTime.min(byValidity, access.endsAt) as DateTime;
}

/**
 * The access term an invitation sent now is for (ACC-3 decision: the
 * longest-lived live membership; permanent wins). `null` when none is live.
 */
export function invitationAccessTerm(
  memberships: readonly MembershipRecord[],
  now: DateTime,
): AccessTerm | null {
  return longestLivedAccess(
    memberships.map((m) => m.access),
    now,
  );
}

/** An invitation link's state: a link's own state, plus "revoked" when no membership is left. */
export type InvitationState = LinkState | { readonly state: "revoked" };

/**
 * Decision (docs/invitation-expiry.md): an invitation is tied to the access it
 * grants. A link that works by its own rules (`linkState`) still stops working
 * when the person has no membership left (revoked) or when every membership
 * has ended (expired at the last end), even before the date the e-mail gave.
 */
export function invitationStateOf(
  linkState: LinkState,
  memberships: readonly MembershipRecord[],
  now: DateTime,
): InvitationState {
  if (linkState.state !== "valid") return linkState;
  if (memberships.length === 0) return { state: "revoked" };
  if (!memberships.some((m) => isMembershipLive(m, now))) {
    const ends = memberships.flatMap((m) =>
      m.access.type === "temporary" ? [m.access.endsAt] : [],
    );
    return { state: "expired", expiredAt: DateTime.max(...ends) as DateTime };
  }
  return linkState;
}
