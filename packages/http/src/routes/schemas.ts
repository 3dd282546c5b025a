import { z } from "zod";

// The JSON API's own schemas: the shape of what comes in (types and sizes),
// checked before the library is called, and of what goes out, for the
// OpenAPI document. The library then checks every value itself (INP-1).

/** An e-mail address as typed. */
export const email = z.string().max(320).describe("An e-mail address.");
/** A password as typed (PWD-1: the library counts and normalises it). */
export const password = z.string().max(1024).describe("A password as typed.");
/** A token from a link. */
export const token = z.string().max(128).describe("The token from the link's URL.");
/** A code: 6 digits, or a backup code (TFA-3, TFA-5). */
export const code = z.string().max(64).describe("6 digits from the app, or a backup code.");
/** An id the API answered. */
export const id = z.string().max(64);
/** An instant, ISO 8601 with an offset. */
export const instant = z.iso.datetime({ offset: true });
/** A role name. */
export const role = z.string().max(64).describe('"administrator", or a role of your own.');
/** An access term (PNL-1). */
export const access = z.discriminatedUnion("type", [
  z.object({ type: z.literal("permanent") }),
  z.object({ type: z.literal("temporary"), endsAt: instant }),
]);

/** AUD-2: an activity listing's query. */
export const activityQuery = z.object({
  from: instant.optional(),
  to: instant.optional(),
  types: z
    .string()
    .max(2000)
    .optional()
    .describe("Event types, separated by commas.")
    .transform((value) => (value === undefined ? undefined : value.split(","))),
  cursor: z.string().max(200).optional().describe("A `nextCursor` answered before."),
  limit: z
    .string()
    .regex(/^\d{1,3}$/)
    .optional()
    .describe("Events per page, 1 to 200 (default 50).")
    .transform((value) => (value === undefined ? undefined : Number(value))),
});

/** A panel as sessions and listings show it. */
export const livePanel = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  access,
});

/** A session's view (SES-1, PNL-7). */
export const sessionView = z.object({
  accountId: z.string(),
  email: z.string(),
  method: z.enum(["local", "sso"]),
  expiresAt: instant,
  panels: z.array(livePanel),
});

/** An account's status, derived now (ACC-5). */
export const accountStatus = z.enum([
  "unregistered",
  "active",
  "locked",
  "permanentlyBlocked",
  "expired",
]);

/** The person's own account (`getAccountStatus` through a session). */
export const accountView = z.object({
  accountId: z.string(),
  email: z.string(),
  status: accountStatus,
  registeredAt: instant.nullable(),
  twoFactor: z.enum(["none", "pending", "enrolled"]),
  memberships: z.array(
    z.object({
      panelId: z.string(),
      panelName: z.string(),
      role: z.string(),
      access,
      live: z.boolean().describe("Whether the access term still runs now (PNL-1)."),
      grantedAt: instant,
    }),
  ),
});

/** A member as the panel's administrators see them. */
export const memberView = z.object({
  accountId: z.string(),
  email: z.string(),
  role: z.string(),
  access,
  grantedAt: instant,
  status: accountStatus.describe("As this panel sees it: expired means access here has ended."),
});

/** One audit event (AUD-2): its id, type and time, and the fields of its type. */
export const activityEvent = z
  .object({ id: z.string(), type: z.string(), at: instant })
  .catchall(z.unknown());

/** A page of activity (AUD-2). */
export const activityPage = z.object({
  events: z.array(activityEvent),
  nextCursor: z.string().nullable(),
});
