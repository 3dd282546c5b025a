import { Duration, type DurationLikeObject } from "luxon";
import { z } from "zod";
import { OWASP_ARGON2ID } from "../defaults/argon2id-hasher.js";
import { INVITATION_VALIDITY } from "../domain/invitation.js";

const durationSchema = z
  .union([
    z.custom<Duration>((v) => Duration.isDuration(v), "expected a luxon Duration"),
    z.record(z.string(), z.number()),
  ])
  .transform((v) => (Duration.isDuration(v) ? v : Duration.fromObject(v as DurationLikeObject)))
  .refine((d) => d.isValid && d.toMillis() > 0, "expected a positive duration");

const pathSchema = z.string().regex(/^\/[^?#]*$/, "a path starting with '/'");

/** The options of `createPanelAccess`, validated once at construction. */
export const optionsSchema = z.object({
  /**
   * Base URL of the host app; e-mailed links are built from it, e.g.
   * `https://app.example.com` → `https://app.example.com/register?token=…`.
   */
  appUrl: z.url({ protocol: /^https?$/ }),
  /** Paths of the host's pages that e-mailed links open. */
  paths: z
    .object({
      /** @default "/register" */
      registration: pathSchema.default("/register"),
      /** @default "/login" */
      login: pathSchema.default("/login"),
      /** @default "/reset-password" */
      passwordReset: pathSchema.default("/reset-password"),
    })
    .prefault({}),
  /** ACC-3: how long an invitation link is valid at most. @default 7 days (7 × 24 h) */
  invitationValidity: durationSchema.default(INVITATION_VALIDITY),
  /** LCK-1: the consecutive failure that locks the account. @default 6 */
  lockoutThreshold: z.int().min(1).max(100).default(6),
  /** LCK-5: the lock in a row that blocks the account permanently. @default 3 */
  locksBeforePermanentBlock: z.int().min(1).max(100).default(3),
  /** PWD-3: how long a password-reset link works. @default 1 hour */
  passwordResetValidity: durationSchema.default(Duration.fromObject({ hours: 1 })),
  /** TFA-12: how long the challenge between the password and the second factor lives. @default 10 minutes */
  challengeValidity: durationSchema.default(Duration.fromObject({ minutes: 10 })),
  /**
   * SES-1: session lifetimes, after NIST SP 800-63B §4.2.3 (AAL2: re-authenticate
   * at least every 12 hours, and after 30 minutes of inactivity).
   */
  sessions: z
    .object({
      /** @default 30 minutes */
      idleTimeout: durationSchema.default(Duration.fromObject({ minutes: 30 })),
      /** @default 12 hours */
      absoluteTimeout: durationSchema.default(Duration.fromObject({ hours: 12 })),
    })
    .prefault({}),
  /** argon2id parameters (PWD-1). @default OWASP minimum: 19 MiB, 2 passes, 1 lane */
  argon2: z
    .object({
      memoryCost: z.int().min(8).max(4_194_304).default(OWASP_ARGON2ID.memoryCost),
      timeCost: z.int().min(1).max(100).default(OWASP_ARGON2ID.timeCost),
      parallelism: z.int().min(1).max(64).default(OWASP_ARGON2ID.parallelism),
    })
    .prefault({}),
});

/** What the host passes. */
export type PanelAccessOptions = z.input<typeof optionsSchema>;
/** The options with every default filled in. */
export type ResolvedOptions = z.output<typeof optionsSchema>;

/** Thrown by `createPanelAccess` for invalid options: a programming error, found at start-up. */
export class PanelAccessConfigError extends Error {
  override readonly name = "PanelAccessConfigError";
}

export function resolveOptions(options: PanelAccessOptions): ResolvedOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new PanelAccessConfigError(
      `Invalid panel-access options:\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}
