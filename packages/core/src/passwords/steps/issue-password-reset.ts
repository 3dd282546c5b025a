import type { DateTime } from "luxon";
import type { AccountRecord } from "../../domain/account.js";
import type { EventActor } from "../../domain/events.js";
import { addDuration } from "../../domain/time.js";
import type { StorageTx } from "../../ports/storage.js";
import type { Dependencies } from "../../runtime/dependencies.js";
import type { Outbox } from "../../runtime/outbox.js";
import { createLink, linkUrl } from "../../runtime/steps/create-link.js";

/**
 * PWD-3: a reset link that works for `passwordResetValidity` (1 hour by
 * default), supersedes every older one, and is single use. Returns the URL
 * for the message that carries it; the caller picks the message (a plain
 * reset, PWD-2, or "your account was locked", LCK-2).
 */
export async function issuePasswordReset(
  deps: Dependencies,
  tx: StorageTx,
  outbox: Outbox,
  request: { account: AccountRecord; actor: EventActor; now: DateTime },
): Promise<{ url: string; expiresAt: DateTime }> {
  const { account, actor, now } = request;
  const expiresAt = addDuration(now, deps.options.passwordResetValidity);
  const { link, token } = await createLink(deps, tx, {
    accountId: account.id,
    purpose: "passwordReset",
    now,
    expiresAt,
  });
  outbox.recordEvent({
    type: "passwordReset.sent",
    at: now,
    actor,
    accountId: account.id,
    linkId: link.id,
    expiresAt,
  });
  return { url: linkUrl(deps, deps.options.paths.passwordReset, token), expiresAt };
}
