import type { MailIntent } from "../domain/mail.js";

/**
 * Hands a message intent to whatever renders and delivers it.
 * A rejection means "not sent": the state change it reports stands (MAIL-2).
 */
export interface Mailer {
  send(message: MailIntent): Promise<void>;
}
