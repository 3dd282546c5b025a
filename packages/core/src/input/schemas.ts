import { DateTime } from "luxon";
import { err, ok, type Result } from "neverthrow";
import { z } from "zod";
import { type AuditPosition, decodeCursor, EVENT_TYPES } from "../domain/audit.js";
import { normaliseEmail } from "../domain/email.js";
import type { DomainEventType } from "../domain/events.js";
import { isStorableInstant } from "../domain/time.js";
import type { InvalidInput } from "../errors.js";
import { TOKEN_PATTERN } from "../secrets/tokens.js";

/**
 * INP-1 v2: text holding NUL or a lone surrogate (UTF-16 that is not
 * well-formed Unicode) is bad input in every field. Checked before anything
 * else touches the text, so no adapter can refuse or alter it later.
 */
export function isWellFormedText(text: string): boolean {
  return !text.includes("\u0000") && !LONE_SURROGATE.test(text);
}
/** With the `u` flag a surrogate pair is one code point, so only a lone surrogate matches. */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * What a one-line label may not hold: control characters (C0, DEL, C1: NUL,
 * line breaks, tabs, escapes), the line and paragraph separators, and the
 * bidirectional overrides and isolates that make text read other than it is
 * stored ("moc.elpmaxe" shown as "example.com"). Marks that right-to-left
 * text needs (U+200E, U+200F) and joiners of emoji sequences stay allowed.
 */
const CONTROL = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

const WELL_FORMED = "NUL and lone surrogates are not allowed";

/**
 * INP-1 v2: a one-line label a person or host names something with (a panel
 * name, a browser label): trimmed, 1 to `max` UTF-16 units, well-formed, and
 * without control characters (a line break in a panel name would reach a
 * mail's subject). Stored exactly as validated: no other normalisation.
 */
export function labelSchema(max: number) {
  return z
    .string()
    .max(max * 4)
    .refine(isWellFormedText, WELL_FORMED)
    .refine(
      (s) => !CONTROL.test(s),
      "control characters, line separators and bidi overrides are not allowed",
    )
    .transform((s) => s.trim())
    .pipe(z.string().min(1).max(max));
}

/** RFC 5321 caps an address at 254 characters; longer raw input is refused unread. */
export const emailSchema = z
  .string()
  .max(320)
  .transform(normaliseEmail)
  .pipe(z.email({ pattern: z.regexes.html5Email }).max(254));

export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "ids are letters, digits, '-' and '_'");

/** Role names: `administrator` or any other short name. */
export const roleSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{M}\p{N} ._-]*$/u,
    "a role is letters (with their marks), digits, space, '.', '-' and '_'",
  );

/** A point in time as a luxon DateTime, a JS Date or an ISO-8601 string with offset. */
export const instantSchema = z
  .union([
    z.custom<DateTime>((v) => DateTime.isDateTime(v), "expected a luxon DateTime"),
    z.date(),
    z.iso.datetime({ offset: true }),
  ])
  .transform((v) =>
    DateTime.isDateTime(v)
      ? v.toUTC()
      : v instanceof Date
        ? DateTime.fromJSDate(v, { zone: "utc" })
        : DateTime.fromISO(v, { zone: "utc" }),
  )
  .refine(isStorableInstant, "expected a valid date from the year 1 to the year 9999");

export const accessSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("permanent") }),
  z.object({ type: z.literal("temporary"), endsAt: instantSchema }),
]);

export const actorSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("account"), accountId: idSchema }),
  z.object({ type: z.literal("operator"), operatorId: labelSchema(128) }),
  z.object({ type: z.literal("system") }),
]);

export const tokenSchema = z.string().max(128).regex(TOKEN_PATTERN, "not a token");

/** AUD-2: a cursor a listing answered (`nextCursor`), decoded; anything else is bad input. */
export const cursorSchema = z
  .string()
  .max(200)
  .refine(isWellFormedText, WELL_FORMED)
  .transform((cursor, context): AuditPosition => {
    const position = decodeCursor(cursor);
    if (position !== null) return position;
    context.addIssue({ code: "custom", message: "not a cursor this library answered" });
    return z.NEVER;
  });

/**
 * AUD-2: what every activity listing takes besides who asks: a time window
 * (`from` inclusive, `to` exclusive), event types, the cursor of the page
 * before, and a page size (@default 50, at most 200).
 */
export const activityFiltersShape = {
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  types: z
    .array(z.enum(EVENT_TYPES as [DomainEventType, ...DomainEventType[]]))
    .max(EVENT_TYPES.length)
    .optional(),
  cursor: cursorSchema.optional(),
  limit: z.int().min(1).max(200).default(50),
};

/** AUD-2: `schema`, refusing a window whose `from` is not before its `to` (bad input, not an empty page). */
export function withOrderedWindow<
  S extends z.ZodType<{ from?: DateTime | undefined; to?: DateTime | undefined }>,
>(schema: S): S {
  return schema.refine(
    (filters) =>
      filters.from === undefined || filters.to === undefined || filters.from < filters.to,
    { path: ["to"], message: "`to` must be after `from`" },
  );
}

/**
 * PWD-1 v2: a password as typed. Refused unread past 1024 UTF-16 units;
 * refused when it holds NUL or a lone surrogate (two different ill-formed
 * inputs could otherwise hash alike); then normalised with Unicode NFKC
 * (NIST SP 800-63B 5.1.1.2), so the same password typed on two keyboards
 * is the same password.
 */
const typedPassword = z
  .string()
  .max(1024, "at most 256 characters")
  .refine(isWellFormedText, WELL_FORMED)
  .transform((p) => p.normalize("NFKC"));

/** PWD-1: a new password is 8 to 256 characters, counted in code points after NFKC. */
export const passwordSchema = typedPassword
  .refine((p) => [...p].length >= 8, "at least 8 characters")
  .refine((p) => [...p].length <= 256, "at most 256 characters");

/**
 * A password entered to prove who one is: its NFKC form, and the NFC form
 * version 1 hashed when that differs (a password with compatibility
 * characters, such as fullwidth letters or ligatures, set before version 2).
 */
export interface EnteredPassword {
  readonly password: string;
  readonly versionOneForm: string | null;
}

/**
 * PWD-1: a password entered to prove who one is (login, re-entry). No minimum
 * length (a short password is simply wrong), but the same bound before any
 * hashing and the same normalisation as `passwordSchema`.
 */
export const enteredPasswordSchema = z
  .string()
  .max(1024, "at most 256 characters")
  .refine(isWellFormedText, WELL_FORMED)
  .transform((typed): EnteredPassword => {
    const password = typed.normalize("NFKC");
    const nfc = typed.normalize("NFC");
    return { password, versionOneForm: nfc === password ? null : nfc };
  })
  .refine((p) => p.password.length > 0, "a password is required")
  .refine((p) => [...p.password].length <= 256, "at most 256 characters");

/**
 * INP-1: validates at the edge. Never throws: a hostile object (a throwing
 * getter, a proxy) is refused like any other bad input.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
): Result<z.output<S>, InvalidInput> {
  try {
    const parsed = schema.safeParse(input);
    if (parsed.success) return ok(parsed.data);
    return err({
      type: "INVALID_INPUT",
      issues: parsed.error.issues.map((i) => ({
        path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
        message: i.message,
      })),
    });
  } catch {
    return err({ type: "INVALID_INPUT", issues: [{ path: [], message: "unreadable input" }] });
  }
}
