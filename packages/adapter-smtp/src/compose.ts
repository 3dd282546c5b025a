import type { MailEnvelope, MailIntent } from "@panel-access/core";
import type { SendMailOptions } from "nodemailer";
import { parseSender, type ResolvedRenderOptions } from "./options.js";
import { renderMail } from "./render.js";

/**
 * The domain of the sender's address, for `Message-ID`s: taken from the
 * parsed address (never from a comment or text around it), `"localhost"`
 * when `from` is not one mailbox (options built by hand, unchecked).
 */
export function senderDomain(from: string): string {
  let domain = domains.get(from);
  if (domain === undefined) {
    const address = parseSender(from.trim())?.address ?? "";
    domain = address.slice(address.lastIndexOf("@") + 1) || "localhost";
    // A mailer has one `from`: parsed once, not for every message.
    if (domains.size >= 64) domains.clear();
    domains.set(from, domain);
  }
  return domain;
}

/** `senderDomain`'s answers so far, by `from` (a handful at most). */
const domains = new Map<string, string>();

/**
 * The nodemailer message for one attempt. The `Message-ID` is the outbox
 * id, the same on every attempt, so a receiver can drop a retry of a
 * message it already has (MAIL-2). `Auto-Submitted` (RFC 3834) keeps
 * auto-responders quiet.
 */
export function composeMessage(
  message: MailIntent,
  envelope: MailEnvelope,
  options: ResolvedRenderOptions,
): SendMailOptions {
  const rendered = renderMail(message, options);
  return {
    from: options.from,
    to: message.to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId: `<${envelope.messageId}@${senderDomain(options.from)}>`,
    headers: { "Auto-Submitted": "auto-generated", "X-Panel-Access-Kind": message.kind },
  };
}
