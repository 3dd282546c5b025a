import type { AccessTerm } from "@panel-access/core";
import type { DateTime } from "luxon";
import type { TemplateContext, Templates } from "./context.js";
import { html } from "./html.js";
import { action, layout, paragraph } from "./layout.js";

const IGNORE = "If you did not expect this e-mail, you can ignore it.";
const FORGOT_PASSWORD = "choose “Forgot password” on the sign-in page";
const NOTHING_TO_DO = "If this was you, there is nothing to do.";

/**
 * MAIL-3: what a security notice says last, when the person did not do what
 * it reports: take the account back (a new password through "forgot
 * password", remembered browsers forgotten) and tell support.
 */
function notYou(c: TemplateContext): string {
  return `If this was not you, someone else may know your password: change it now (${FORGOT_PASSWORD}), then forget your remembered browsers in your account settings, and contact support: ${c.supportContact}.`;
}

/**
 * A subject is one header line: any control character (a line break that
 * slipped into a panel name stored before INP-1 v2 refused them) becomes a
 * space. Nodemailer folds headers too; this keeps the rendered subject itself
 * clean for any transport.
 */
function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]+/gu, " ");
}

/** The subject, the lines of the plain-text body, and the HTML frame, kept in step. */
function message(parts: {
  readonly subject: string;
  readonly productName: string;
  readonly paragraphs: readonly string[];
  readonly link?: { readonly label: string; readonly url: string; readonly after?: string };
  readonly closing?: readonly string[];
  readonly footer: string;
}) {
  const subject = oneLine(parts.subject);
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
    title: subject,
    productName: parts.productName,
    body,
    footer: parts.footer,
  });
  return { subject, text: `${text}\n`, html: page.value };
}

/** The built-in English templates of every MAIL-1 message and MAIL-3 notice. */
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

  twoFactorReset: (m, c) => {
    // TFA-8 v2: a panel's administrator, or (panel null) the support team.
    const who =
      m.panel === null ? "The support team" : `An administrator of the panel “${m.panel.name}”`;
    return message({
      subject:
        m.panel === null
          ? `Your ${c.productName} two-factor authentication was reset`
          : `Your two-factor authentication for ${m.panel.name} was reset`,
      productName: c.productName,
      paragraphs: [
        "Hello,",
        `${who} reset the two-factor authentication of your ${c.productName} account. Your old authenticator codes, backup codes and remembered browsers no longer work.`,
        "At your next sign-in you will set up two-factor authentication again with your authenticator app:",
      ],
      link: { label: "Sign in", url: m.loginLink },
      closing: [
        m.panel === null
          ? `If you did not ask the support team for this, tell them at once: ${c.supportContact}.`
          : "If you did not ask your administrator for this, tell them at once.",
      ],
      footer: `Sent by ${c.productName}.`,
    });
  },

  accessGranted: (m, c) =>
    message({
      subject: `You now have access to ${m.panel.name}`,
      productName: c.productName,
      paragraphs: [
        "Hello,",
        `On ${c.formatInstant(m.at)}, ${m.grantedBy === null ? "you were given" : `${m.grantedBy} gave you`} access to the panel “${m.panel.name}” on ${c.productName}, as ${m.role}, ${accessWords(m.access, c.formatInstant)}.`,
        "There is nothing you need to do: sign in with your existing account as usual.",
      ],
      link: { label: "Sign in", url: m.loginLink },
      closing: [
        `If you did not expect this access, tell the panel's administrator or contact support: ${c.supportContact}.`,
      ],
      footer: `Sent by ${c.productName}.`,
    }),

  passwordChanged: (m, c) =>
    message({
      subject: `Your ${c.productName} password was changed`,
      productName: c.productName,
      paragraphs: [
        "Hello,",
        `On ${c.formatInstant(m.at)}, the password of your ${c.productName} account was changed through a password reset link.`,
        NOTHING_TO_DO,
      ],
      link: { label: "Sign in", url: m.loginLink },
      closing: [
        `If this was not you, someone else may be able to read your e-mail or get into your account: reset your password now (${FORGOT_PASSWORD}) and contact support: ${c.supportContact}.`,
      ],
      footer: `Sent by ${c.productName}.`,
    }),

  twoFactorEnabled: (m, c) =>
    message({
      subject: `Two-factor authentication is set up for your ${c.productName} account`,
      productName: c.productName,
      paragraphs: [
        "Hello,",
        `On ${c.formatInstant(m.at)}, two-factor authentication was set up for your ${c.productName} account. From now on, signing in asks for a code from your authenticator app, or one of your backup codes.`,
        NOTHING_TO_DO,
      ],
      link: { label: "Sign in", url: m.loginLink },
      closing: [
        `${notYou(c)} Support can reset your two-factor authentication so that you set it up again with your own app.`,
      ],
      footer: `Sent by ${c.productName}.`,
    }),

  backupCodesRegenerated: (m, c) =>
    message({
      subject: `New backup codes for your ${c.productName} account`,
      productName: c.productName,
      paragraphs: [
        "Hello,",
        `On ${c.formatInstant(m.at)}, a new set of backup codes was created for your ${c.productName} account. Your old backup codes no longer work. The new ones were shown once, when they were created; they are not in this e-mail.`,
        NOTHING_TO_DO,
      ],
      link: { label: "Sign in", url: m.loginLink },
      closing: [notYou(c)],
      footer: `Sent by ${c.productName}.`,
    }),

  browserRemembered: (m, c) =>
    message({
      subject: `A browser was remembered for your ${c.productName} account`,
      productName: c.productName,
      paragraphs: [
        "Hello,",
        `On ${c.formatInstant(m.at)}, ${m.label === null ? "a browser" : `the browser “${m.label}”`} was remembered for your ${c.productName} account. Until ${c.formatInstant(m.until)}, signing in from it asks for your password but not for a two-factor code.`,
        `${NOTHING_TO_DO} You can see and forget remembered browsers in your account settings.`,
      ],
      link: { label: "Sign in", url: m.loginLink },
      closing: [notYou(c)],
      footer: `Sent by ${c.productName}.`,
    }),
};

function accessWords(access: AccessTerm, format: (instant: DateTime) => string): string {
  return access.type === "permanent" ? "with permanent access" : `until ${format(access.endsAt)}`;
}
