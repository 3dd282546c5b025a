import { Duration, type DurationLikeObject } from "luxon";
import { z } from "zod";
import { meetsOwaspFloor, OWASP_ARGON2ID } from "../defaults/argon2id-hasher.js";
import { AUDIT_RETENTION } from "../domain/audit.js";
import { INVITATION_VALIDITY } from "../domain/invitation.js";

const durationSchema = z
  .union(
    [
      z.custom<Duration>((v) => Duration.isDuration(v), "expected a luxon Duration"),
      z.record(z.string(), z.number()),
    ],
    { error: "expected a luxon Duration or an object such as { minutes: 30 }" },
  )
  .transform((v) => (Duration.isDuration(v) ? v : Duration.fromObject(v as DurationLikeObject)))
  .refine((d) => d.isValid && d.toMillis() > 0, "expected a positive duration");

const pathSchema = z.string().regex(/^\/[^?#]*$/, "a path starting with '/'");

/** TFA-11: a 32-byte AES-256 key: raw bytes, or base64 of them. */
const keyBytesSchema = z
  .union([z.instanceof(Uint8Array), z.base64()])
  .transform((k) =>
    typeof k === "string" ? new Uint8Array(Buffer.from(k, "base64")) : new Uint8Array(k),
  )
  .refine((k) => k.length === 32, "an AES-256 key is exactly 32 bytes (base64: 44 characters)");

/** Issuer and label of the otpauth URI: the format uses ':' as their separator. */
const noColon = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(100)
    .refine((s) => !s.includes(":"), `${what} cannot contain ':'`);

/** LCK-9: one throttle rule, with its default. */
function limitSchema(limit: number, halfLife: DurationLikeObject) {
  return z
    .strictObject({
      limit: z.number().positive().max(1_000_000).default(limit),
      halfLife: durationSchema.default(Duration.fromObject(halfLife)),
    })
    .prefault({});
}

/** The options of `createPanelAccess`, validated once at construction. */
export const optionsSchema = z
  .strictObject({
    /**
     * Base URL of the host app; e-mailed links are built from it, e.g.
     * `https://app.example.com` → `https://app.example.com/register?token=…`.
     */
    appUrl: z.url({
      protocol: /^https?$/,
      error: "required: the app's base URL (http or https), e.g. https://app.example.com",
    }),
    /** Paths of the host's pages that e-mailed links open. */
    paths: z
      .strictObject({
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
    /**
     * PWD-5: at most `links` reset links per account per `per`. Past it,
     * "forgot password" answers as always but sends nothing, and the latest
     * link stays valid (LCK-2's lock mail is not limited).
     * @default 3 links per hour
     */
    passwordResetLimit: z
      .strictObject({
        links: z.int().min(1).max(100).default(3),
        per: durationSchema.default(Duration.fromObject({ hours: 1 })),
      })
      .prefault({}),
    /** TFA-12: how long the challenge between the password and the second factor lives. @default 10 minutes */
    challengeValidity: durationSchema.default(Duration.fromObject({ minutes: 10 })),
    /**
     * SES-1: session lifetimes, after NIST SP 800-63B §4.2.3 (AAL2: re-authenticate
     * at least every 12 hours, and after 30 minutes of inactivity).
     */
    sessions: z
      .strictObject({
        /**
         * A session unused this long ends, counted from its recorded last use
         * (see `lastUseInterval`). @default 30 minutes
         */
        idleTimeout: durationSchema.default(Duration.fromObject({ minutes: 30 })),
        /** @default 12 hours */
        absoluteTimeout: durationSchema.default(Duration.fromObject({ hours: 12 })),
        /**
         * SES-3: how often `validateSession` records a session's last use at
         * most. A check whose recorded last use is younger than this only
         * reads; the first check at or past it records `now` (one write). So
         * idle expiry counts from the recorded last use, which is less than
         * this much older than the real one: a session ends less than this
         * much before `idleTimeout` of real inactivity, never after it
         * (docs/sessions.md). Positive, and shorter than `idleTimeout`, else
         * `PanelAccessConfigError`. @default 1 minute
         */
        lastUseInterval: durationSchema.default(Duration.fromObject({ minutes: 1 })),
      })
      .prefault({})
      .refine((s) => s.lastUseInterval.toMillis() < s.idleTimeout.toMillis(), {
        path: ["lastUseInterval"],
        message:
          "expected a duration shorter than sessions.idleTimeout (the last use is recorded at most once per lastUseInterval; default 1 minute)",
      }),
    /**
     * AUD-2: the durable audit trail (docs/audit.md). Resolved, it also
     * carries `cleanup`: the options every store's cleanup needs to keep
     * what the listings show. Spread it into each cleanup:
     * `cleanup(driver, { now, ...panelAccess.options.audit.cleanup })`,
     * `memoryStore.cleanup({ now, ...panelAccess.options.audit.cleanup })`.
     * A store cannot read `keepFor` itself: a cleanup without it keeps
     * audit events 365 days whatever `keepFor` says.
     */
    audit: z
      .strictObject({
        /**
         * How long audit events are kept: the listings show none older, and a
         * store's cleanup deletes them when given `audit.cleanup`.
         * @default 365 days
         */
        keepFor: durationSchema.default(Duration.fromObject(AUDIT_RETENTION)),
        /**
         * Ignored on the way in (resolved options passed back carry it): it
         * is always made from `keepFor`.
         */
        cleanup: z.unknown().optional(),
      })
      .prefault({})
      .transform(({ cleanup: _ignored, ...audit }) => ({
        ...audit,
        /** The audit options of every store's cleanup: spread them into each call. */
        cleanup: { keepAuditEventsFor: audit.keepFor },
      })),
    /** Mandatory TOTP two-factor authentication (TFA-*). */
    twoFactor: z.strictObject(
      {
        /**
         * TFA-11: the keys that seal TOTP secrets (AES-256-GCM). The first seals new
         * secrets; every key listed opens the secrets sealed under its id, so a key
         * is rotated by putting the new one first and keeping the old one after it.
         * Required: the library refuses to start without one.
         */
        encryptionKeys: z
          .array(
            z.strictObject({
              id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "a key id is 1 to 32 of [A-Za-z0-9_-]"),
              key: keyBytesSchema,
            }),
          )
          .min(1, "at least one encryption key is required")
          .refine(
            (keys) => new Set(keys.map((k) => k.id)).size === keys.length,
            "key ids must be unique",
          ),
        /** TFA-1: the issuer shown in authenticator apps. @default "Panel Access" */
        issuer: noColon("the issuer").default("Panel Access"),
        /** TFA-10: how many 30-second steps either side of now a code may be from. @default 1 */
        window: z.int().min(0).max(10).default(1),
        /** TFA-5: how many backup codes a set has. @default 10 */
        backupCodeCount: z.int().min(1).max(50).default(10),
        /** TFA-7: how long a remembered browser skips the second factor. @default 7 days */
        rememberBrowserFor: durationSchema.default(Duration.fromObject({ hours: 7 * 24 })),
      },
      {
        error: (issue) =>
          issue.input === undefined
            ? "required: { encryptionKeys: [{ id, key }] }, at least one 32-byte AES-256 key"
            : undefined,
      },
    ),
    /** MAIL-2, MAIL-4: the outbox and its dispatcher. */
    mail: z
      .strictObject({
        /**
         * Try each message right after the commit that queued it, in the
         * background (MAIL-4: the use case has answered by then; `settled()`
         * waits for the attempt). With `false` only `dispatchMail()` (a
         * worker, a scheduler) sends. @default true
         */
        sendAfterCommit: z.boolean().default(true),
        /**
         * For test setups only: a use case answers after the first attempt at
         * the messages it queued, so a test sees them at once. Production
         * keeps `false` (MAIL-4: no request waits for the mail server).
         * `login`, its second step, new backup codes and `forgotPassword`
         * send in the background even with `true` (PWD-2, LCK-8: their
         * timing must not tell which branch ran). The testkit's
         * `createInMemoryPanelAccess` turns it on. @default false
         */
        awaitSending: z.boolean().default(false),
        /**
         * MAIL-4: attempts at recording a send the mail server accepted.
         * When the store fails to record it, the dispatcher tries again after
         * `firstSettleRetryDelay`, doubling the wait each time, as long as
         * its claim on the message holds (`claimFor`, by the clock port), so
         * a store hiccup does not cause a second copy. `1` tries once.
         * @default 5
         */
        settleAttempts: z.int().min(1).max(20).default(5),
        /**
         * MAIL-4: the wait before the second attempt at recording a send;
         * it doubles before each further one (100, 200, 400, 800 ms by
         * default: 1.5 s in all). @default 100 milliseconds
         */
        firstSettleRetryDelay: durationSchema.default(Duration.fromObject({ milliseconds: 100 })),
        /** Attempts before a message is marked `failed` (visible, re-queueable). @default 8 */
        maxAttempts: z.int().min(1).max(100).default(8),
        /**
         * Wait after the first failed attempt; it doubles after each further
         * one. Also how long a message sealed under a key id this instance
         * does not hold waits, released and its attempts unchanged, before
         * a dispatcher claims it again. @default 1 minute
         */
        firstRetryDelay: durationSchema.default(Duration.fromObject({ minutes: 1 })),
        /** The longest wait between two attempts. @default 1 hour */
        maxRetryDelay: durationSchema.default(Duration.fromObject({ hours: 1 })),
        /**
         * How long a dispatcher holds the messages it claimed. Another dispatcher
         * takes over a message held longer (its holder crashed), so this must
         * exceed the longest send (the SMTP adapter's timeouts). @default 10 minutes
         */
        claimFor: durationSchema.default(Duration.fromObject({ minutes: 10 })),
        /**
         * MAIL-4: how long one attempt at one message may wait for the
         * mailer. Then the outbox aborts the attempt's `envelope.signal`: a
         * mailer that has not begun handing the message over gives it up
         * (the SMTP adapter: `SEND_TIMEOUT`, never sent, tried again later);
         * one that has begun finishes, bounded by its own timeouts, and
         * whatever it answers is recorded (so a send is never recorded as
         * failed while it may still go out). `claimFor` must exceed it plus
         * the settle retries (checked at start-up), and the mailer's own
         * timeouts too. @default 2 minutes
         */
        sendTimeout: durationSchema.default(Duration.fromObject({ minutes: 2 })),
        /**
         * MAIL-4: how many messages this instance may be sending right after
         * their commits, all together. Past it, a committed message is not
         * tried at once: it stays `pending`, unclaimed, for `dispatchMail()`
         * (a dispatcher loop must run on some instance: without one these
         * messages wait, and the library warns once). A flood of requests
         * cannot pile up sends in memory. Keep it near the mailer's
         * connections (the SMTP adapter's `maxConnections`, 4 by default).
         * @default 16
         */
        maxInFlight: z.int().min(1).max(1000).default(16),
        /** Messages one `dispatchMail()` claims at most. @default 50 */
        batchSize: z.int().min(1).max(1000).default(50),
        /**
         * Messages of a round sent at the same time. A round claims each
         * sender's next message while it sends (at most two held per
         * sender), so a claimed message waits behind at most the sends
         * under way; one that waited until too little of its claim is left
         * is given back unsent. @default 4
         */
        concurrency: z.int().min(1).max(64).default(4),
      })
      .prefault({}),
    /**
     * argon2id parameters (PWD-1). Below the OWASP floor (19 MiB with 2 passes,
     * or an equal-strength pair such as 12 MiB with 3) they are refused at
     * start-up unless `allowWeakHashing` is `true`. @default OWASP minimum:
     * 19 MiB, 2 passes, 1 lane
     */
    argon2: z
      .strictObject({
        memoryCost: z.int().min(8).max(4_194_304).default(OWASP_ARGON2ID.memoryCost),
        timeCost: z.int().min(1).max(100).default(OWASP_ARGON2ID.timeCost),
        parallelism: z.int().min(1).max(64).default(OWASP_ARGON2ID.parallelism),
      })
      .prefault({}),
    /**
     * PWD-2 v2: how many forgot-password requests may still be doing their
     * account's work after they were answered, per instance. Past it, the
     * next request waits for a slot before it is answered, whatever the
     * e-mail, so a flood slows its sender instead of piling up work in the
     * process. @default 64
     */
    maxBackgroundWork: z.int().min(1).max(10_000).default(64),
    /**
     * PWD-6: how long the password screen (a host's remote breach corpus,
     * say) may take before it counts as failed (`PASSWORD_SCREEN_UNAVAILABLE`).
     * @default 5 seconds
     */
    passwordScreenTimeout: durationSchema.default(Duration.fromObject({ seconds: 5 })),
    /**
     * LCK-7 v2: how many login requests (password or second step) for one
     * e-mail may wait in this process behind the one that waits on the store.
     * Past it, a request answers `TOO_MANY_ATTEMPTS` at once. @default 16
     */
    maxQueuedPerAccount: z.int().min(0).max(10_000).default(16),
    /**
     * LCK-9: throttling before any password or code is checked. Each rule is
     * a count that halves every `halfLife` (a sliding window that decays);
     * past its `limit` the call answers `TOO_MANY_ATTEMPTS` with `retryAfter`,
     * checking nothing. The reasoning behind each default is in docs/abuse.md.
     */
    throttle: z
      .strictObject({
        /** Off only for tests about other rules (the reference model). @default true */
        enabled: z.boolean().default(true),
        /**
         * When the throttle store fails: `closed` refuses the call with
         * `THROTTLE_UNAVAILABLE`; `open` lets it through unthrottled (the
         * account lock, LCK-1, still holds). @default "closed"
         */
        onStoreFailure: z.enum(["closed", "open"]).default("closed"),
        /**
         * How long the throttle store may take to answer before it counts as
         * failed (`onStoreFailure`): a store that hangs (a client queueing
         * commands while it reconnects) must not hang logins. @default 2 seconds
         */
        storeTimeout: durationSchema.default(Duration.fromObject({ seconds: 2 })),
        /** Failed logins and second factors from one address (IPv4, or IPv6 /64). @default 50, half-life 10 minutes */
        perAddress: limitSchema(50, { minutes: 10 }),
        /**
         * Failed logins and second factors from one IPv6 /48 (a site's
         * allocation: a host with a /48 has 65,536 /64s to rotate through).
         * @default 200, half-life 10 minutes
         */
        perNetwork: limitSchema(200, { minutes: 10 }),
        /** Failed logins and second factors for one e-mail from one address. @default 10, half-life 24 hours */
        perEmailAndAddress: limitSchema(10, { hours: 24 }),
        /** Failed logins and second factors for one e-mail from anywhere (NIST: at most 100). @default 100, half-life 24 hours */
        perEmail: limitSchema(100, { hours: 24 }),
        /** Failed logins and second factors on this instance, all together. @default 5000, half-life 1 minute */
        perInstance: limitSchema(5000, { minutes: 1 }),
        /** Forgot-password requests from one address. @default 20, half-life 1 hour */
        resetRequestsPerAddress: limitSchema(20, { hours: 1 }),
        /** Forgot-password requests for one e-mail. @default 10, half-life 1 hour */
        resetRequestsPerEmail: limitSchema(10, { hours: 1 }),
        /** Failed registrations (unknown or dead links) from one address. @default 20, half-life 1 hour */
        registrationFailuresPerAddress: limitSchema(20, { hours: 1 }),
      })
      .prefault({}),
    /**
     * PWD-1 v2: accept `argon2` parameters below the OWASP floor. Only for
     * tests, where a full hash per login would make suites slow; say it by
     * name so nobody ships it by accident. @default false
     */
    allowWeakHashing: z.boolean().default(false),
  })
  .refine((o) => o.allowWeakHashing || meetsOwaspFloor(o.argon2), {
    path: ["argon2"],
    message:
      "argon2 parameters below the OWASP floor (19456 KiB with 2 passes, or 12288/3, 9216/4, 7168/5, 47104/1); set allowWeakHashing: true to use them in tests",
  })
  .refine((o) => longestSend(o.mail) < o.mail.claimFor.toMillis(), {
    path: ["mail", "claimFor"],
    message:
      "mail.claimFor must exceed mail.sendTimeout plus the settle retries (mail.firstSettleRetryDelay doubled mail.settleAttempts - 1 times): a claim must outlast the wait for the mailer and the record (and the mailer's own timeouts, which this check cannot see)",
  });

/** MAIL-4: the longest a claimed message can take: its send, then every settle retry's wait. */
function longestSend(mail: {
  sendTimeout: Duration;
  firstSettleRetryDelay: Duration;
  settleAttempts: number;
}): number {
  const settleWaits = mail.firstSettleRetryDelay.toMillis() * (2 ** (mail.settleAttempts - 1) - 1);
  return mail.sendTimeout.toMillis() + settleWaits;
}

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
