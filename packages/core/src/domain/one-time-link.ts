import type { DateTime } from "luxon";

/**
 * What a one-time token is for. Invitations and password resets are e-mailed
 * links, and only the latest of each works (ACC-4, PWD-3). A login challenge
 * (TFA-12) is handed to the browser that passed the password step; several may
 * be open at once (two browsers), each single use.
 */
export type LinkPurpose = "invitation" | "passwordReset" | "loginChallenge";

/** The purposes for which a newer token makes every older one stop working. */
export const ONLY_LATEST_WORKS: ReadonlySet<LinkPurpose> = new Set(["invitation", "passwordReset"]);

/**
 * A one-time link as stored: never the secret itself, only its SHA-256 (ACC-8).
 * The link's token is `<id>.<secret>`: the id selects the record, the secret is
 * checked against `secretHash` in constant time.
 */
export interface OneTimeLinkRecord {
  readonly id: string;
  readonly accountId: string;
  readonly purpose: LinkPurpose;
  /**
   * 1, 2, 3… per account and purpose where only the highest works (ACC-4,
   * PWD-3); always 0 for purposes without that rule (login challenges).
   */
  readonly sequence: number;
  /** Hex SHA-256 of the secret part of the token. */
  readonly secretHash: string;
  /** The panel whose administrator caused an invitation; `null` for other purposes. */
  readonly panelId: string | null;
  readonly issuedAt: DateTime;
  readonly expiresAt: DateTime;
  /** Set once, by completing the action (ACC-9: opening a link never consumes it). */
  readonly consumedAt: DateTime | null;
}

/** Why a link does not work, or that it does. */
export type LinkState =
  | { readonly state: "valid" }
  | { readonly state: "used"; readonly usedAt: DateTime }
  | { readonly state: "superseded" }
  | { readonly state: "expired"; readonly expiredAt: DateTime };

/**
 * The state of a link that was found and whose secret matched.
 * Order of reasons: used, then superseded (ACC-4), then expired.
 */
export function linkStateOf(
  link: OneTimeLinkRecord,
  latestSequence: number,
  now: DateTime,
): LinkState {
  if (link.consumedAt !== null) return { state: "used", usedAt: link.consumedAt };
  if (ONLY_LATEST_WORKS.has(link.purpose) && link.sequence < latestSequence) {
    return { state: "superseded" };
  }
  if (now.toMillis() >= link.expiresAt.toMillis()) {
    return { state: "expired", expiredAt: link.expiresAt };
  }
  return { state: "valid" };
}
