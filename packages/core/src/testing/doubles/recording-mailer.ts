import type { MailIntent, MailKind } from "../../domain/mail.js";
import type { MailEnvelope, Mailer } from "../../ports/mailer.js";

/**
 * A mailer that keeps every message it is handed, in order. With `forwardTo`
 * it hands each message on first (to an SMTP mailer, say) and keeps only
 * those the other mailer accepted.
 */
export class RecordingMailer implements Mailer {
  readonly #sent: MailIntent[] = [];
  readonly #envelopes: MailEnvelope[] = [];
  #failing: Error | null = null;

  constructor(private readonly forwardTo?: Mailer) {}

  /** Records the message (after `forwardTo` accepted it), or rejects while `failWith` is in force. */
  async send(message: MailIntent, envelope: MailEnvelope): Promise<void> {
    if (this.#failing) throw this.#failing;
    await this.forwardTo?.send(message, envelope);
    this.#sent.push(message);
    this.#envelopes.push({ messageId: envelope.messageId, attempt: envelope.attempt });
  }

  /** The outbox envelope of each message sent (its id and attempt), in the order of `sent`. */
  get envelopes(): readonly MailEnvelope[] {
    return this.#envelopes;
  }

  /** Every message sent so far. */
  get sent(): readonly MailIntent[] {
    return this.#sent;
  }

  /** The messages to one address (normalised), optionally of one kind. */
  to<K extends MailKind>(email: string, kind?: K): Extract<MailIntent, { kind: K }>[] {
    return this.#sent.filter(
      (m): m is Extract<MailIntent, { kind: K }> =>
        m.to === email && (kind === undefined || m.kind === kind),
    );
  }

  /** The newest message to an address, optionally of one kind; `undefined` if none. */
  last<K extends MailKind>(email: string, kind?: K): Extract<MailIntent, { kind: K }> | undefined {
    return this.to(email, kind).at(-1);
  }

  /** Makes every `send` reject (a mail server that is down) until `recover()`. */
  failWith(error: Error = new Error("mail server unavailable")): void {
    this.#failing = error;
  }

  /** Ends `failWith`: sends succeed again. */
  recover(): void {
    this.#failing = null;
  }

  /** Forgets every recorded message. */
  clear(): void {
    this.#sent.length = 0;
    this.#envelopes.length = 0;
  }
}
