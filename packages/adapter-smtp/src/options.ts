import { IANAZone } from "luxon";
import addressparser from "nodemailer/lib/addressparser";
import { z } from "zod";
import type { Template, Templates } from "./templates/context.js";

/** Thrown at start-up for invalid adapter options: a programming error, never a runtime one. */
export class MailConfigError extends Error {
  override readonly name = "MailConfigError";
}

/**
 * The shape every address in the options must have: the HTML5 e-mail
 * pattern, which account e-mails use too (so `dev@localhost` passes).
 */
const emailAddress = z.email({ pattern: z.regexes.html5Email }).max(254);

/**
 * Whether `value` is one mailbox, bare or with a display name: not a list,
 * not a group, and its address a valid e-mail address (so `"nobody"` and
 * `"a@b.c, d@e.f"` are refused at start-up, not by the SMTP server later).
 */
function isOneMailbox(value: string): boolean {
  const parsed = addressparser(value);
  const only = parsed.length === 1 ? parsed[0] : undefined;
  return only?.address !== undefined && emailAddress.safeParse(only.address).success;
}

/** How every message looks, whichever transport sends it. */
export const renderOptionsSchema = z.object({
  /**
   * The sender: an address, or `Name <address>`. Its domain also names the
   * `Message-ID`s (`<outbox id@domain>`).
   */
  from: z.string().trim().max(320).refine(isOneMailbox, {
    message:
      'one e-mail address, such as "accounts@example.com" or "Example <accounts@example.com>"',
  }),
  /** The product's name in subjects and bodies. @default "Panel Access" */
  productName: z.string().trim().min(1).max(100).default("Panel Access"),
  /**
   * How people reach support: shown in the "permanently blocked" message
   * (LCK-5), a 2FA reset by the support team (TFA-8) and every MAIL-3
   * security notice. @default "your administrator"
   */
  supportContact: z.string().trim().min(1).max(200).default("your administrator"),
  /** The IANA time zone dates are shown in. @default "UTC" */
  timeZone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), "an IANA time zone such as Europe/Berlin")
    .default("UTC"),
  /** The locale dates are written in (BCP 47). @default "en-GB" */
  locale: z
    .string()
    .refine((locale) => {
      try {
        return Intl.DateTimeFormat.supportedLocalesOf(locale).length > 0;
      } catch {
        return false; // not a well-formed tag
      }
    }, "a locale such as en-GB")
    .default("en-GB"),
  /** Templates that replace the built-in ones, per message kind. @default none */
  templates: z
    .custom<Partial<Templates>>(
      (value) =>
        typeof value === "object" &&
        value !== null &&
        Object.values(value).every((t) => typeof t === "function"),
      "an object of template functions",
    )
    .default({}),
});

/** How messages are rendered: sender, product name, support contact, time zone, locale, template overrides. */
export type RenderOptions = z.input<typeof renderOptionsSchema>;
export type ResolvedRenderOptions = z.output<typeof renderOptionsSchema>;

/** One template, for a host that overrides a single kind. */
export type { Template };

/** Parses options or throws `MailConfigError` listing every problem. */
export function parseOptions<S extends z.ZodType>(schema: S, options: unknown): z.output<S> {
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    throw new MailConfigError(`Invalid mail options:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
