import { DateTime } from "luxon";
import { z } from "zod";

/**
 * An instant in a message: a luxon `DateTime`, stored in the outbox as an
 * ISO-8601 string with its offset and read back in UTC.
 */
const instant = z
  .union([
    z.custom<DateTime>((v) => DateTime.isDateTime(v), "expected a luxon DateTime"),
    z.iso.datetime({ offset: true }),
  ])
  // A string here is a complete ISO-8601 instant with its offset (checked
  // above), which `Date.parse` reads exactly, several times faster than
  // luxon's `fromISO` (the dispatcher opens every message it sends).
  .transform((v) =>
    DateTime.isDateTime(v) ? v : DateTime.fromMillis(Date.parse(v), { zone: "utc" }),
  );

/** The panel as named in a message. */
const panelRef = z.object({ id: z.string(), name: z.string() });

const access = z.discriminatedUnion("type", [
  z.object({ type: z.literal("permanent") }),
  z.object({ type: z.literal("temporary"), endsAt: instant }),
]);

/** MAIL-3: the fields every security notice has. */
const notice = {
  to: z.string(),
  /** When it happened. */
  at: instant,
  /** The login page, where a person who did not do it starts a reset. */
  loginLink: z.string(),
};

/**
 * What the core asks the mailer to send (MAIL-1, MAIL-3): typed intents,
 * never rendered text. Rendering belongs to the mail adapter. This schema is
 * the one source: `MailIntent` is derived from it, and the outbox stores and
 * reads intents through it (their instants as ISO strings).
 */
export const mailIntentSchema = z.discriminatedUnion("kind", [
  z.object({
    /** ACC-1, ACC-2b, ACC-7: an invitation to register. */
    kind: z.literal("invitation"),
    to: z.string(),
    /** The registration link; it carries the one-time token. */
    link: z.string(),
    expiresAt: instant,
    panel: panelRef,
    role: z.string(),
  }),
  z.object({
    /** PNL-3: a registered person was re-invited; access is restored at once. */
    kind: z.literal("accessRestored"),
    to: z.string(),
    loginLink: z.string(),
    panel: panelRef,
    role: z.string(),
    access,
  }),
  z.object({
    /** PWD-2, PWD-3: the "forgot password" link. */
    kind: z.literal("passwordReset"),
    to: z.string(),
    link: z.string(),
    expiresAt: instant,
  }),
  z.object({
    /** LCK-2: the account was locked; a reset link reopens it. */
    kind: z.literal("accountLocked"),
    to: z.string(),
    resetLink: z.string(),
    expiresAt: instant,
  }),
  z.object({
    /** LCK-5: the account is permanently blocked; only support can reopen it. */
    kind: z.literal("accountBlocked"),
    to: z.string(),
  }),
  z.object({
    /**
     * TFA-8: the two-factor setup was reset; the next login sets it up anew.
     * `panel` names the panel whose administrator did it; `null` when the
     * support team did it (TFA-8 v2).
     */
    kind: z.literal("twoFactorReset"),
    to: z.string(),
    panel: panelRef.nullable(),
    loginLink: z.string(),
  }),
  z.object({
    /**
     * ACC-2 v2, MAIL-3: a registered person was given access to a panel. A
     * notice, not an invitation: nothing in it needs doing.
     */
    kind: z.literal("accessGranted"),
    to: z.string(),
    loginLink: z.string(),
    panel: panelRef,
    role: z.string(),
    access,
    /** The e-mail of the administrator who added them; `null` when no administrator did (the host or the support team created the panel). */
    grantedBy: z.string().nullable(),
    at: instant,
  }),
  /** MAIL-3: the password was changed through a reset link (PWD-3). */
  z.object({ kind: z.literal("passwordChanged"), ...notice }),
  /** MAIL-3: two-factor authentication was set up (TFA-2). */
  z.object({ kind: z.literal("twoFactorEnabled"), ...notice }),
  /** MAIL-3: a new set of backup codes replaced the old one (TFA-6). */
  z.object({ kind: z.literal("backupCodesRegenerated"), ...notice }),
  z.object({
    /** MAIL-3: a browser was remembered and skips the second factor until `until` (TFA-7). */
    kind: z.literal("browserRemembered"),
    ...notice,
    /** The label the host gave the browser (TFA-13), if any. */
    label: z.string().nullable(),
    until: instant,
  }),
]);

/** What the core asks the mailer to send (MAIL-1, MAIL-3), derived from `mailIntentSchema`. */
export type MailIntent = z.output<typeof mailIntentSchema>;

/** The panel as named in a message. */
export type PanelRef = z.output<typeof panelRef>;

/** The kinds of message: MAIL-1's six and MAIL-3's security notices. */
export type MailKind = MailIntent["kind"];
