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
