import type { DateTime } from "luxon";

/** How long a membership grants access to its panel (PNL-1). */
export type AccessTerm =
  | { readonly type: "permanent" }
  | { readonly type: "temporary"; readonly endsAt: DateTime };

/** PNL-1: temporary access ends at `endsAt`; a thing that expires at `t` is expired when `now >= t`. */
export function hasAccessEnded(access: AccessTerm, now: DateTime): boolean {
  return access.type === "temporary" && now.toMillis() >= access.endsAt.toMillis();
}

/**
 * ACC-3 decision: with several memberships the access term that counts is the
 * longest-lived live one; permanent wins. `null` when no term is live.
 */
export function longestLivedAccess(terms: readonly AccessTerm[], now: DateTime): AccessTerm | null {
  let best: AccessTerm | null = null;
  for (const term of terms) {
    if (hasAccessEnded(term, now)) continue;
    if (term.type === "permanent") return term;
    if (best === null || (best.type === "temporary" && term.endsAt > best.endsAt)) best = term;
  }
  return best;
}
