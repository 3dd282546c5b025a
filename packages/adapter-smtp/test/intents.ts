import type { MailIntent, MailKind } from "@panel-access/core";
import { DateTime } from "luxon";

/** 2026-01-12 09:00 UTC: 10:00 in Berlin (CET), 04:00 in New York. */
export const EXPIRES = DateTime.fromISO("2026-01-12T09:00:00Z", { zone: "utc" });
const panel = { id: "pnl_1", name: "Acme Analytics" };
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
    loginLink: "https://app.example.test/login",
  },
};

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
      return message.loginLink;
    case "accountBlocked":
      return null;
  }
}
