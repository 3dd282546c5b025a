import { DateTime } from "luxon";
import { err, ok, type Result } from "neverthrow";
import { z } from "zod";
import { normaliseEmail } from "../domain/email.js";
import type { InvalidInput } from "../errors.js";
import { TOKEN_PATTERN } from "../secrets/tokens.js";

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
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, "a role is letters, digits, space, '.', '-' and '_'");

/** Latest instant accepted anywhere (keeps every timestamp storable in any database). */
const LATEST = DateTime.fromISO("9999-12-31T23:59:59.999Z");

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
  .refine((d) => d.isValid && d <= LATEST, "expected a valid date before the year 10000");

export const accessSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("permanent") }),
  z.object({ type: z.literal("temporary"), endsAt: instantSchema }),
]);

export const actorSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("account"), accountId: idSchema }),
  z.object({ type: z.literal("operator"), operatorId: z.string().min(1).max(128) }),
  z.object({ type: z.literal("system") }),
]);

export const tokenSchema = z.string().max(128).regex(TOKEN_PATTERN, "not a token");

/**
 * PWD-1: 8 to 256 characters, counted in code points after Unicode NFC.
 * Raw input over 1024 UTF-16 units is refused before it is even normalised.
 */
export const passwordSchema = z
  .string()
  .max(1024, "at most 256 characters")
  .transform((p) => p.normalize("NFC"))
  .refine((p) => [...p].length >= 8, "at least 8 characters")
  .refine((p) => [...p].length <= 256, "at most 256 characters");

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
