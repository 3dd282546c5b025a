/** How the story prints a moment, a mail intent and an audit event: one line each. */

import type { DomainEvent, MailIntent } from "@panel-access/core";
import type { DateTime } from "luxon";

export const when = (moment: DateTime) => moment.toUTC().toFormat("ccc d LLL yyyy HH:mm 'UTC'");

/** A link with its token cut to 8 characters: enough to tell two links apart. */
const shortLink = (link: string) => link.replace(/token=([^&]{8})[^&]*/, "token=$1…");

export function describeMail(mail: MailIntent): string {
  switch (mail.kind) {
    case "invitation":
      return `invitation to ${mail.panel.name} as ${mail.role}, link ${shortLink(mail.link)}, expires ${when(mail.expiresAt)}`;
    case "accessRestored":
      return `access to ${mail.panel.name} restored (${mail.access.type}), log in at ${mail.loginLink}`;
    case "passwordReset":
      return `reset your password: ${shortLink(mail.link)}, expires ${when(mail.expiresAt)}`;
    case "accountLocked":
      return `account locked; reset your password to reopen it: ${shortLink(mail.resetLink)}, expires ${when(mail.expiresAt)}`;
    case "accountBlocked":
      return "account permanently blocked: contact support";
    case "twoFactorReset":
      return `your two-factor setup${mail.panel === null ? " was reset by the support team" : ` for ${mail.panel.name} was reset`}; set it up again at your next login (${mail.loginLink})`;
    case "accessGranted":
      return `notice: ${mail.grantedBy ?? "the support team"} gave you access to ${mail.panel.name} as ${mail.role} (${mail.access.type === "temporary" ? `until ${when(mail.access.endsAt)}` : "permanent"}) at ${when(mail.at)}; log in at ${mail.loginLink}`;
    case "passwordChanged":
      return `notice: your password was changed at ${when(mail.at)}; not you? reset it at ${mail.loginLink}`;
    case "twoFactorEnabled":
      return `notice: two-factor authentication set up at ${when(mail.at)}`;
    case "backupCodesRegenerated":
      return `notice: new backup codes created at ${when(mail.at)}; the old ones no longer work`;
    case "browserRemembered":
      return `notice: ${mail.label === null ? "a browser" : `“${mail.label}”`} remembered at ${when(mail.at)}, skips 2FA until ${when(mail.until)}`;
  }
}

export function describeEvent(event: DomainEvent): string {
  const { type, at, ...rest } = event;
  const fields = Object.entries(rest)
    .filter(([key]) => key !== "actor")
    .map(
      ([key, value]) =>
        `${key}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`,
    );
  return `${type} ${fields.join(" ")}`;
}
