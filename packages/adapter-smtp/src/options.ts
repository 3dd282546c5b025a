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

/** A display name: a quoted string, or plain words without the characters that end or split one. */
const displayName = /^(?:"(?:[^"\\\p{Cc}]|\\[^\p{Cc}])*"|[^<>@,;:()"\\\p{Cc}]+)$/u;

/** The sender, parsed: its display name and its address (where `Message-ID`s take their domain). */
export interface Sender {
  /** The display name, `""` when the address stands alone. */
  readonly name: string;
  /** The e-mail address. */
  readonly address: string;
}

/**
 * `value` as one mailbox, bare (`a@acme.example`, `<a@acme.example>`) or
 * with a display name (`Acme <a@acme.example>`, `"Acme, Inc." <a@acme.example>`);
 * `undefined` for anything else: no address, a list, a group, a control
 * character, a comment or text after the address, a name that holds an
 * address (`a@b.c <d@e.f>`), unbalanced brackets. Checked against the raw
 * text, not only nodemailer's lenient parse, so what is sent is what was
 * written.
 */
export function parseSender(value: string): Sender | undefined {
  if (/\p{Cc}/u.test(value)) return undefined;
  const parsed = addressparser(value);
  const only = parsed.length === 1 ? parsed[0] : undefined;
  if (only?.address === undefined || !emailAddress.safeParse(only.address).success)
    return undefined;
  if (value === only.address) return { name: "", address: only.address };
  const bracketed = /^(.*?)\s*<([^<>]*)>$/.exec(value);
  if (bracketed?.[2] !== only.address) return undefined;
  const name = (bracketed[1] ?? "").trim();
  return name === "" || displayName.test(name)
    ? { name: only.name, address: only.address }
    : undefined;
}

/** How every message looks, whichever transport sends it. */
export const renderOptionsSchema = z.object({
  /**
   * The sender: an address, or `Name <address>`. Its domain also names the
   * `Message-ID`s (`<outbox id@domain>`).
   */
  from: z
    .string()
    .trim()
    .max(320)
    .refine((value) => parseSender(value) !== undefined, {
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
