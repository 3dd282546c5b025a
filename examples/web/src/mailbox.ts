import { randomBytes } from "node:crypto";
import { renderMail } from "@panel-access/adapter-smtp";
import type { MailEnvelope, Mailer, MailIntent } from "@panel-access/core";

/** A message as the development mail viewer shows it. */
export interface ViewedMail {
  readonly id: string;
  readonly to: string;
  readonly kind: MailIntent["kind"];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly at: Date;
  /** The links in the message, for the viewer to make clickable. */
  readonly links: readonly string[];
}

/**
 * The development outbox: renders each message exactly as the SMTP adapter
 * would (its templates) and keeps it for the mail viewer page, like a local
 * mail catcher. In production, use `createSmtpMailer` instead.
 */
export class DevMailbox implements Mailer {
  readonly messages: ViewedMail[] = [];

  constructor(private readonly productName: string) {}

  async send(message: MailIntent, _envelope: MailEnvelope): Promise<void> {
    const rendered = renderMail(message, {
      from: "no-reply@localhost",
      productName: this.productName,
      supportContact: "the support page of this app",
      timeZone: "UTC",
      locale: "en-GB",
      templates: {},
    });
    this.messages.unshift({
      id: randomBytes(8).toString("hex"),
      to: message.to,
      kind: message.kind,
      ...rendered,
      at: new Date(),
      links: [...new Set(rendered.text.match(/https?:\/\/\S+/g) ?? [])],
    });
  }

  find(id: string): ViewedMail | undefined {
    return this.messages.find((m) => m.id === id);
  }
}
