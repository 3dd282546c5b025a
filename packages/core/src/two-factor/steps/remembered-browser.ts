import type { DateTime } from "luxon";
import { addDuration } from "../../domain/time.js";
import type { StorageTx } from "../../ports/storage.js";
import type { Dependencies } from "../../runtime/dependencies.js";
import type { Outbox } from "../../runtime/outbox.js";
import { sendSecurityNotice } from "../../runtime/steps/security-notice.js";
import { mintToken, secretMatches, splitToken } from "../../secrets/tokens.js";

/** What the host puts in the remembered-browser cookie (TFA-7). Shown once. */
export interface IssuedRememberedBrowser {
  readonly rememberedBrowserToken: string;
  readonly expiresAt: DateTime;
}

/**
 * TFA-7: remembers this browser for `rememberBrowserFor` (7 days), and tells
 * the person (MAIL-3).
 */
export async function rememberBrowser(
  deps: Dependencies,
  tx: StorageTx,
  outbox: Outbox,
  request: { account: { id: string; email: string }; label: string | null; now: DateTime },
): Promise<IssuedRememberedBrowser> {
  const { account, label, now } = request;
  const accountId = account.id;
  const minted = mintToken(deps.random);
  const expiresAt = addDuration(now, deps.options.twoFactor.rememberBrowserFor);
  await tx.createRememberedBrowser({
    id: minted.id,
    accountId,
    secretHash: minted.secretHash,
    label,
    createdAt: now,
    lastUsedAt: now,
    expiresAt,
  });
  const actor = { type: "account", accountId } as const;
  outbox.recordEvent({
    type: "rememberedBrowser.created",
    at: now,
    actor,
    accountId,
    browserId: minted.id,
  });
  const notice = { kind: "browserRemembered", label, until: expiresAt } as const;
  sendSecurityNotice(deps, outbox, account, notice, now);
  return { rememberedBrowserToken: minted.token, expiresAt };
}

/**
 * TFA-7: whether `token` is a live remembered browser of this account. A token
 * of another account, a forged one or an expired one is simply not recognised
 * (the second factor is asked). Touches `lastUsedAt` when recognised.
 */
export async function recognisesBrowser(
  tx: StorageTx,
  accountId: string,
  token: string | undefined,
  now: DateTime,
): Promise<boolean> {
  if (token === undefined) return false;
  const { id, secret } = splitToken(token);
  const browser = await tx.findRememberedBrowser(id);
  if (
    browser === null ||
    browser.accountId !== accountId ||
    !secretMatches(secret, browser.secretHash)
  ) {
    return false;
  }
  if (now.toMillis() >= browser.expiresAt.toMillis()) return false;
  return tx.touchRememberedBrowser(id, now);
}
