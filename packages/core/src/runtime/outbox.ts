import { auditEventId, auditRecordOf } from "../domain/audit.js";
import type { DomainEvent } from "../domain/events.js";
import type { MailIntent } from "../domain/mail.js";
import type { OutboxMessageRecord } from "../domain/outbox.js";
import type { StorageTx } from "../ports/storage.js";
import { newId } from "../secrets/tokens.js";
import type { Dependencies } from "./dependencies.js";
import { sealIntent } from "./sealed-intent.js";

/**
 * Mail and events a unit of work produces. Mail is written to the store's
 * outbox inside the unit of work (MAIL-2: the message and the state change it
 * reports commit together); so are the events, to the audit trail (AUD-2).
 * Events leave the process after the commit, so nothing is announced that
 * did not happen.
 */
export class Outbox {
  readonly #mail: { message: MailIntent; accountId: string }[] = [];
  readonly #events: DomainEvent[] = [];
  readonly #queued: string[] = [];

  sendMail(message: MailIntent, accountId: string): void {
    this.#mail.push({ message, accountId });
  }

  recordEvent(event: DomainEvent): void {
    this.#events.push(event);
  }

  /**
   * Writes the mail to the outbox and the events to the audit trail (AUD-2,
   * one append for all of them): the last step of the unit of work, before
   * it commits.
   */
  async write(tx: StorageTx, { random, clock, options }: Dependencies): Promise<void> {
    const [key] = options.twoFactor.encryptionKeys;
    if (key === undefined) throw new Error("no encryption key: options are validated at start-up");
    for (const { message, accountId } of this.#mail) {
      const id = newId(random);
      const now = clock.now();
      const record: OutboxMessageRecord = {
        id,
        kind: message.kind,
        accountId,
        payload: sealIntent(message, key, id),
        status: "pending",
        attempts: 0,
        createdAt: now,
        nextAttemptAt: now,
        claimedUntil: null,
        claimId: null,
        sentAt: null,
        lastError: null,
      };
      await tx.enqueueMail(record);
      this.#queued.push(id);
    }
    if (this.#events.length > 0) {
      const stem = newId(random);
      await tx.appendAuditEvents(
        this.#events.map((event, index) => auditRecordOf(event, auditEventId(stem, index))),
      );
    }
  }

  /** The ids of the messages `write` queued. */
  get queued(): readonly string[] {
    return this.#queued;
  }

  /** Hands the events to the sink, after the commit. A failing sink changes nothing. */
  async publishEvents({ events }: Dependencies): Promise<void> {
    for (const event of this.#events) {
      try {
        await events.publish(event);
      } catch {
        // The change is committed; a failing sink must not turn it into an error.
      }
    }
  }
}
