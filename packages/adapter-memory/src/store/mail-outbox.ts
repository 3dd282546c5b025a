import type {
  MailClaim,
  MailOutboxTx,
  MailOutcome,
  MailSettlement,
  OutboxMessageRecord,
  OutboxStatus,
} from "@panel-access/core";
import type { DateTime } from "luxon";
import { MemoryConstraintError } from "./constraint-error.js";
import type { UnitOfWork } from "./unit-of-work.js";

/** Oldest first; among messages created at the same instant, by id. */
const oldestFirst = (first: OutboxMessageRecord, second: OutboxMessageRecord) =>
  first.createdAt.toMillis() - second.createdAt.toMillis() || first.id.localeCompare(second.id);

/** The row lock a message's claim, settling and requeueing (and a cleanup deleting it) take. */
export const mailRowLock = (id: string) => `mail:${id}`;

/**
 * The outbox (MAIL-2). A claim passes over the messages another unit of work
 * holds (like `FOR UPDATE SKIP LOCKED`); settling and requeueing hold the
 * message's row lock.
 */
export function mailOutboxTx(unit: UnitOfWork): MailOutboxTx {
  return {
    async enqueueMail(message: OutboxMessageRecord): Promise<void> {
      if (unit.mail.has(message.id)) throw new MemoryConstraintError("message id already exists");
      if (!unit.accounts.has(message.accountId))
        throw new MemoryConstraintError("message to an unknown account");
      unit.mail.set(message.id, message);
    },

    async claimMail(claim: MailClaim): Promise<OutboxMessageRecord[]> {
      const now = claim.now.toMillis();
      const claimable = (
        message: OutboxMessageRecord | undefined,
      ): message is OutboxMessageRecord =>
        message !== undefined &&
        message.status === "pending" &&
        message.nextAttemptAt.toMillis() <= now &&
        (message.claimedUntil === null || message.claimedUntil.toMillis() <= now) &&
        (claim.ids === undefined || claim.ids.includes(message.id));
      const candidates = (
        claim.ids
          ? claim.ids.flatMap((id) => unit.mail.get(id) ?? [])
          : [...unit.mail.by("status", "pending")]
      )
        .filter(claimable)
        .map((message) => ({ message, at: message.createdAt.toMillis() }));
      const claimed: OutboxMessageRecord[] = [];
      // The oldest candidate, one at a time (a claim takes a few of many:
      // no need to sort them all).
      while (claimed.length < claim.limit && candidates.length > 0) {
        let oldest = 0;
        for (let i = 1; i < candidates.length; i++) {
          const a = candidates[i] as (typeof candidates)[number];
          const b = candidates[oldest] as (typeof candidates)[number];
          if (a.at - b.at < 0 || (a.at === b.at && a.message.id.localeCompare(b.message.id) < 0))
            oldest = i;
        }
        const [{ message: candidate }] = candidates.splice(oldest, 1) as [
          (typeof candidates)[number],
        ];
        // Like `FOR UPDATE SKIP LOCKED`: a row another claim holds is passed over.
        if (!unit.tryLockRow(mailRowLock(candidate.id))) continue;
        const current = unit.mail.get(candidate.id);
        if (!claimable(current)) continue;
        const taken = { ...current, claimedUntil: claim.until, claimId: claim.claimId };
        unit.mail.set(taken.id, taken);
        claimed.push(taken);
      }
      return claimed;
    },

    async settleMail(id: string, claimId: string, outcome: MailOutcome): Promise<boolean> {
      const [settled = false] = await settle(unit, [{ id, claimId, outcome }]);
      return settled;
    },

    settleMails(settlements: readonly MailSettlement[]): Promise<boolean[]> {
      return settle(unit, settlements);
    },

    async requeueMail(id: string, at: DateTime): Promise<boolean> {
      await unit.lockRow(mailRowLock(id));
      const message = unit.mail.get(id);
      if (message === undefined || message.status !== "failed") return false;
      unit.mail.set(id, { ...message, status: "pending", attempts: 0, nextAttemptAt: at });
      return true;
    },

    async listMail(status: OutboxStatus, limit: number): Promise<OutboxMessageRecord[]> {
      return [...unit.mail.by("status", status)].sort(oldestFirst).slice(0, limit);
    },
  };
}

/**
 * Records each outcome whose message its claim still holds (and is still
 * pending), under the messages' row locks, taken in id order like a
 * database's multi-row `UPDATE` (two settlements never deadlock).
 */
async function settle(
  unit: UnitOfWork,
  settlements: readonly MailSettlement[],
): Promise<boolean[]> {
  for (const id of [...new Set(settlements.map((s) => s.id))].sort())
    await unit.lockRow(mailRowLock(id));
  return settlements.map(({ id, claimId, outcome }) => {
    const message = unit.mail.get(id);
    if (message === undefined || message.claimId !== claimId || message.status !== "pending")
      return false;
    unit.mail.set(id, settled(message, outcome));
    return true;
  });
}

/** The message once `outcome` is recorded: its claim released. */
function settled(message: OutboxMessageRecord, outcome: MailOutcome): OutboxMessageRecord {
  const released = { ...message, claimedUntil: null, claimId: null };
  switch (outcome.status) {
    case "sent":
      return {
        ...released,
        status: "sent",
        sentAt: outcome.at,
        payload: null,
        attempts: message.attempts + 1,
      };
    case "released":
      return released;
    default:
      return {
        ...released,
        status: outcome.status,
        attempts: outcome.attempts,
        nextAttemptAt: outcome.nextAttemptAt,
        lastError: outcome.lastError,
      };
  }
}
