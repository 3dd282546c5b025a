import type { DateTime } from "luxon";
import type { EventActor, SessionRevocationReason } from "../../domain/events.js";
import type { StorageTx } from "../../ports/storage.js";
import type { Outbox } from "../../runtime/outbox.js";

/** SES-2: ends every session of the account, and reports which. */
export async function revokeAllSessions(
  tx: StorageTx,
  outbox: Outbox,
  request: { accountId: string; reason: SessionRevocationReason; actor: EventActor; now: DateTime },
): Promise<void> {
  const sessionIds = await tx.deleteSessionsOfAccount(request.accountId);
  if (sessionIds.length === 0) return;
  const { accountId, reason, actor, now } = request;
  outbox.recordEvent({ type: "sessions.revoked", at: now, actor, accountId, sessionIds, reason });
}
