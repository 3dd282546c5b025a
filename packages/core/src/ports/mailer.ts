import type { MailIntent } from "../domain/mail.js";

/** What the outbox knows about one attempt at a message. */
export interface MailEnvelope {
  /**
   * The outbox message id: the same on every attempt at one message, so it is
   * the idempotency key a transport hands on (SMTP: `Message-ID`).
   */
  readonly messageId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /**
   * MAIL-4: aborted once the attempt has waited `mail.sendTimeout`. A mailer
   * that has not begun handing the message over (it waits in the mailer's
   * own queue) should then reject and never send it; one that has begun
   * finishes, bounded by its own timeouts. The outbox records whatever the
   * mailer answers, so a mailer that ignores the signal is simply waited for.
   */
  readonly signal?: AbortSignal;
}

/**
 * Renders and delivers a message intent. A rejection means "not sent": the
 * message stays in the outbox and is tried again later (MAIL-2). Resolve only
 * once the message is handed to something that keeps it (an SMTP server's
 * 250, a file written).
 */
export interface Mailer {
  /** Renders and hands over one message; rejects when it was not accepted (it is then tried again). */
  send(message: MailIntent, envelope: MailEnvelope): Promise<void>;
}
