import type { DateTime } from "luxon";
import {
  type LinkPurpose,
  type LinkState,
  linkStateOf,
  ONLY_LATEST_WORKS,
  type OneTimeLinkRecord,
} from "../../domain/one-time-link.js";
import type { StorageTx } from "../../ports/storage.js";
import { secretMatches, splitToken } from "../../secrets/tokens.js";

/** A token's record and its state now; `null` when no record of this purpose matches. */
export type FoundLink = { readonly link: OneTimeLinkRecord; readonly state: LinkState } | null;

/**
 * Finds the one-time link a token names. Read-only: it never consumes (ACC-9).
 * ACC-8: the secret is compared with the stored hash in constant time.
 */
export async function findLink(
  tx: StorageTx,
  token: string,
  purpose: LinkPurpose,
  now: DateTime,
): Promise<FoundLink> {
  const { id, secret } = splitToken(token);
  const link = await tx.findLink(id);
  if (link === null || link.purpose !== purpose || !secretMatches(secret, link.secretHash))
    return null;
  const latest = ONLY_LATEST_WORKS.has(purpose)
    ? await tx.findLatestLink(link.accountId, purpose)
    : null;
  return { link, state: linkStateOf(link, latest?.sequence ?? link.sequence, now) };
}
