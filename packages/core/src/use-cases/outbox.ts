import type { DomainEvent } from "../domain/events.js";
import type { MailIntent } from "../domain/mail.js";
import type { Dependencies } from "./dependencies.js";

/**
 * Mail and events a unit of work produces. They leave the process only after
 * the unit of work commits, so nothing is announced that did not happen.
 */
export class Outbox {
  readonly #mail: { message: MailIntent; accountId: string }[] = [];
  readonly #events: DomainEvent[] = [];

  sendMail(message: MailIntent, accountId: string): void {
    this.#mail.push({ message, accountId });
  }

  recordEvent(event: DomainEvent): void {
    this.#events.push(event);
  }

  /**
   * Hands the mail to the mailer and the events to the sink. A failed send
   * keeps the committed change and becomes a `mail.failed` event (MAIL-2).
   */
  async deliver({ mailer, events, clock }: Dependencies): Promise<void> {
    const failures: DomainEvent[] = [];
    for (const { message, accountId } of this.#mail) {
      try {
        await mailer.send(message);
      } catch {
        failures.push({
          type: "mail.failed",
          at: clock.now(),
          actor: { type: "system" },
          kind: message.kind,
          accountId,
        });
      }
    }
    for (const event of [...this.#events, ...failures]) {
      try {
        await events.publish(event);
      } catch {
        // The change is committed; a failing sink must not turn it into an error.
      }
    }
  }
}
