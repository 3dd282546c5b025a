import type { DateTime } from "luxon";
import {
  type LinkPurpose,
  ONLY_LATEST_WORKS,
  type OneTimeLinkRecord,
} from "../../domain/one-time-link.js";
import type { StorageTx } from "../../ports/storage.js";
import { mintToken } from "../../secrets/tokens.js";
import type { Dependencies } from "../dependencies.js";

/** A link just stored, and the token to hand out once (never stored). */
export interface CreatedLink {
  readonly link: OneTimeLinkRecord;
  readonly token: string;
}

/**
 * ACC-8: mints a token and stores its link record with the next sequence for
 * this account and purpose, so that it supersedes the older ones where only
 * the latest works (ACC-4, PWD-3).
 */
export async function createLink(
  deps: Dependencies,
  tx: StorageTx,
  request: {
    accountId: string;
    purpose: LinkPurpose;
    panelId?: string;
    now: DateTime;
    expiresAt: DateTime;
  },
): Promise<CreatedLink> {
  // A chained link takes the next sequence; a challenge needs none (and no lookup).
  const chained = ONLY_LATEST_WORKS.has(request.purpose);
  const latest = chained ? await tx.findLatestLink(request.accountId, request.purpose) : null;
  const minted = mintToken(deps.random);
  const link: OneTimeLinkRecord = {
    id: minted.id,
    accountId: request.accountId,
    purpose: request.purpose,
    sequence: chained ? (latest?.sequence ?? 0) + 1 : 0,
    secretHash: minted.secretHash,
    panelId: request.panelId ?? null,
    issuedAt: request.now,
    expiresAt: request.expiresAt,
    consumedAt: null,
  };
  await tx.createLink(link);
  return { link, token: minted.token };
}

/** The host's page for a link, with the token in its query: `<appUrl><path>?token=…`. */
export function linkUrl(deps: Dependencies, path: string, token: string): string {
  const url = new URL(path, deps.options.appUrl);
  url.searchParams.set("token", token);
  return url.toString();
}
