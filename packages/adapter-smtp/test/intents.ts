import type { MailIntent, MailKind } from "@panel-access/core";
import { DateTime } from "luxon";

/** 2026-01-12 09:00 UTC: 10:00 in Berlin (CET), 04:00 in New York. */
export const EXPIRES = DateTime.fromISO("2026-01-12T09:00:00Z", { zone: "utc" });
/** 2026-01-05 14:30 UTC: when a MAIL-3 notice's event happened (15:30 in Berlin). */
export const AT = DateTime.fromISO("2026-01-05T14:30:00Z", { zone: "utc" });
const panel = { id: "pnl_1", name: "Acme Analytics" };
const loginLink = "https://app.example.test/login";
const link = (path: string) =>
  `https://app.example.test${path}?token=AAAAAAAAAAAAAAAAAAAAAA.${"s".repeat(43)}`;

/** One message of each kind, as the core hands them to the mailer. */
export const oneOfEach: { readonly [K in MailKind]: Extract<MailIntent, { kind: K }> } = {
  invitation: {
    kind: "invitation",
    to: "new.person@example.test",
    link: link("/register"),
    expiresAt: EXPIRES,
    panel,
    role: "analyst",
  },
  accessRestored: {
    kind: "accessRestored",
    to: "back@example.test",
    loginLink: "https://app.example.test/login",
    panel,
    role: "analyst",
    access: { type: "temporary", endsAt: EXPIRES },
  },
  passwordReset: {
    kind: "passwordReset",
    to: "forgetful@example.test",
    link: link("/reset-password"),
    expiresAt: EXPIRES,
  },
  accountLocked: {
    kind: "accountLocked",
    to: "locked@example.test",
    resetLink: link("/reset-password"),
    expiresAt: EXPIRES,
  },
  accountBlocked: { kind: "accountBlocked", to: "blocked@example.test" },
  twoFactorReset: {
    kind: "twoFactorReset",
    to: "newphone@example.test",
    panel,
    loginLink,
  },
  accessGranted: {
    kind: "accessGranted",
    to: "registered@example.test",
    loginLink,
    panel,
    role: "analyst",
    access: { type: "permanent" },
    grantedBy: "alice@example.test",
    at: AT,
  },
  passwordChanged: { kind: "passwordChanged", to: "reset@example.test", at: AT, loginLink },
  twoFactorEnabled: { kind: "twoFactorEnabled", to: "enrolled@example.test", at: AT, loginLink },
  backupCodesRegenerated: {
    kind: "backupCodesRegenerated",
    to: "codes@example.test",
    at: AT,
    loginLink,
  },
  browserRemembered: {
    kind: "browserRemembered",
    to: "office@example.test",
    at: AT,
    label: "Firefox at the office",
    until: EXPIRES,
    loginLink,
  },
};

/** MAIL-3: the security notices, which report something done and carry no token. */
export const NOTICE_KINDS = [
  "accessGranted",
  "passwordChanged",
  "twoFactorEnabled",
  "backupCodesRegenerated",
  "browserRemembered",
] as const satisfies readonly MailKind[];

/** The link a message carries, if it carries one. */
export function linkOf(message: MailIntent): string | null {
  switch (message.kind) {
    case "invitation":
    case "passwordReset":
      return message.link;
    case "accountLocked":
      return message.resetLink;
    case "accessRestored":
    case "twoFactorReset":
    case "accessGranted":
    case "passwordChanged":
    case "twoFactorEnabled":
    case "backupCodesRegenerated":
    case "browserRemembered":
      return message.loginLink;
    case "accountBlocked":
      return null;
  }
}
