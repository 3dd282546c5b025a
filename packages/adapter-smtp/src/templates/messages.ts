import type { AccessTerm } from "@panel-access/core";
import type { Templates } from "./context.js";
import { html } from "./html.js";
import { action, layout, paragraph } from "./layout.js";

const IGNORE = "If you did not expect this e-mail, you can ignore it.";

/** The subject, the lines of the plain-text body, and the HTML frame, kept in step. */
function message(parts: {
  readonly subject: string;
  readonly productName: string;
  readonly paragraphs: readonly string[];
  readonly link?: { readonly label: string; readonly url: string; readonly after?: string };
  readonly closing?: readonly string[];
  readonly footer: string;
}) {
  const text = [
    ...parts.paragraphs,
    ...(parts.link ? [`${parts.link.label}:\n${parts.link.url}`] : []),
    ...(parts.link?.after ? [parts.link.after] : []),
    ...(parts.closing ?? []),
    `--\n${parts.footer}`,
  ].join("\n\n");
  const body = html`${parts.paragraphs.map(paragraph)}${parts.link ? action(parts.link.label, parts.link.url) : null}${
    parts.link?.after ? paragraph(parts.link.after) : null
  }${(parts.closing ?? []).map(paragraph)}`;
  const page = layout({
    title: parts.subject,
    productName: parts.productName,
    body,
    footer: parts.footer,
  });
  return { subject: parts.subject, text: `${text}\n`, html: page.value };
}

/** The built-in English templates of every MAIL-1 message. */
export const defaultTemplates: Templates = {
  invitation: (m, c) =>
    message({
      subject: `You are invited to ${m.panel.name}`,
      productName: c.productName,
      paragraphs: [
        "Hello,",
        `You have been invited to the panel “${m.panel.name}” on ${c.productName}, as ${m.role}.`,
        "To accept, choose your password:",
      ],
      link: {
        label: "Accept the invitation",
        url: m.link,
        after: `This link works once and expires on ${c.formatInstant(m.expiresAt)}. If it has expired, ask the panel's administrator to send you a new invitation.`,
      },
      footer: `${IGNORE} Sent by ${c.productName}.`,
    }),

  accessRestored: (m, c) =>
    message({
      subject: `Your access to ${m.panel.name} is restored`,
      productName: c.productName,
      paragraphs: [
        "Hello,",
        `Your access to the panel “${m.panel.name}” on ${c.productName} has been restored, as ${m.role}, ${accessWords(m.access, c.formatInstant)}.`,
        "Sign in with your existing password:",
      ],
      link: { label: "Sign in", url: m.loginLink },
      footer: `Sent by ${c.productName}.`,
    }),

  passwordReset: (m, c) =>
    message({
      subject: `Reset your ${c.productName} password`,
      productName: c.productName,
      paragraphs: [
        "Hello,",
        `Someone (we hope you) asked to reset the password of your ${c.productName} account.`,
      ],
      link: {
        label: "Choose a new password",
        url: m.link,
        after: `This link works once and expires on ${c.formatInstant(m.expiresAt)}. Only the latest reset link you asked for works.`,
      },
      closing: ["If you did not ask for this, ignore this e-mail: your password stays as it is."],
      footer: `Sent by ${c.productName}.`,
    }),

  accountLocked: (m, c) =>
    message({
      subject: `Your ${c.productName} account is locked`,
      productName: c.productName,
      paragraphs: [
        "Hello,",
        `Your ${c.productName} account was locked after too many failed sign-in attempts.`,
        "To unlock it, choose a new password:",
      ],
      link: {
        label: "Unlock with a new password",
        url: m.resetLink,
        after: `This link works once and expires on ${c.formatInstant(m.expiresAt)}.`,
      },
      closing: [
        "If the failed attempts were not yours, someone may be guessing your password: choose a new one that you use nowhere else.",
      ],
      footer: `Sent by ${c.productName}.`,
    }),

  accountBlocked: (_m, c) =>
    message({
      subject: `Your ${c.productName} account is blocked`,
      productName: c.productName,
      paragraphs: [
        "Hello,",
        `Your ${c.productName} account has been blocked permanently after being locked several times in a row by failed sign-in attempts.`,
        `Resetting your password cannot unblock it. Please contact support: ${c.supportContact}.`,
      ],
      footer: `Sent by ${c.productName}.`,
    }),

  twoFactorReset: (m, c) =>
    message({
      subject: `Your two-factor authentication for ${m.panel.name} was reset`,
      productName: c.productName,
      paragraphs: [
        "Hello,",
        `An administrator of the panel “${m.panel.name}” reset the two-factor authentication of your ${c.productName} account. Your old authenticator codes, backup codes and remembered browsers no longer work.`,
        "At your next sign-in you will set up two-factor authentication again with your authenticator app:",
      ],
      link: { label: "Sign in", url: m.loginLink },
      closing: ["If you did not ask your administrator for this, tell them at once."],
      footer: `Sent by ${c.productName}.`,
    }),
};

function accessWords(
  access: AccessTerm,
  format: (instant: import("luxon").DateTime) => string,
): string {
  return access.type === "permanent" ? "with permanent access" : `until ${format(access.endsAt)}`;
}
