import { type DateTime, Duration, type DurationLike } from "luxon";
import { AUDIT_RETENTION, FAILED_LOGIN_WITHOUT_ACCOUNT_RETENTION } from "../domain/audit.js";
import { type Logger, logSafely, silentLogger } from "./logger.js";

/**
 * What every store's cleanup takes: `cleanup(driver, options)` of
 * `@panel-access/adapter-postgres`, `MemoryStore.cleanup(options)` of
 * `@panel-access/adapter-memory`. Run it from a scheduler (hourly is
 * plenty): nothing it deletes can work any more, so how often only decides
 * how much dead data a store holds meanwhile.
 */
export interface CleanupOptions {
  /** The cut-off: usually the clock's `now()`. */
  readonly now: DateTime;
  /**
   * How long expired or used links are kept, so that a late click still hears
   * "expired" or "used" rather than "unknown"; sent mail is kept as long.
   * Keep it longer than `invitationValidity`, so that a superseded link
   * never outlives its successor. @default 30 days
   */
  readonly keepLinksFor?: { readonly days: number };
  /**
   * AUD-2: how long audit events are kept. **Pass the library's**: spread
   * `panelAccess.options.audit.cleanup` into the options (it holds this,
   * from `audit.keepFor`). A store cannot see the library's options, so a
   * cleanup without it keeps 365 days whatever `audit.keepFor` says: with
   * a longer `keepFor` it deletes events the listings should still show;
   * with a shorter one it keeps them longer than the host promised. Each
   * cleanup's log line names the retention it applied (`auditRetentionDays`).
   * @default 365 days
   */
  readonly keepAuditEventsFor?: DurationLike;
  /**
   * AUD-2: how long a failed login for an e-mail that no account has
   * (`login.failed` with no `accountId`) is kept: it holds the address as
   * typed, so it goes sooner than the rest of the trail. The support team
   * sees guessing at unknown addresses for this long. A value longer than
   * `keepAuditEventsFor` changes nothing (the trail's own retention comes
   * first). @default 30 days
   */
  readonly keepFailedLoginsWithoutAccountFor?: DurationLike;
  /**
   * Where the cleanup says what it did: one `info` line "cleanup done"
   * with the count of each kind deleted (the report's fields), the audit
   * retentions it applied in days (`auditRetentionDays`: 365 there means
   * `keepAuditEventsFor` was left out), and `durationMs`. Counts only:
   * never an id, an e-mail or a token. @default silentLogger
   */
  readonly logger?: Logger;
}

/** How many records of each kind one cleanup deleted. */
export interface CleanupReport {
  /** Invitations, password resets and login challenges expired or used before the cut-off. */
  readonly links: number;
  /** Sessions at or past their absolute expiry. */
  readonly sessions: number;
  /** Remembered browsers at or past their expiry. */
  readonly rememberedBrowsers: number;
  /** Sent messages of the outbox (their payload was erased when sent), kept as long as links. */
  readonly sentMail: number;
  /** Throttle counters (LCK-9) decayed below 0.01 by `now`: as good as never used. */
  readonly throttleCounters: number;
  /**
   * AUD-2: audit events older than `keepAuditEventsFor`, and failed logins
   * without an account older than `keepFailedLoginsWithoutAccountFor`.
   */
  readonly auditEvents: number;
}

/** The instants a cleanup compares with, from its options. */
export interface CleanupCutoffs {
  /** Sessions and remembered browsers expiring at or before this go; throttle counters decay to it. */
  readonly now: DateTime;
  /** Links expired or used, and mail sent, strictly before this go. */
  readonly keptSince: DateTime;
  /** AUD-2: audit events from strictly before this go. */
  readonly auditKeptSince: DateTime;
  /** AUD-2: failed logins without an account (`login.failed`, no `accountId`) from strictly before this go. */
  readonly failedLoginsWithoutAccountKeptSince: DateTime;
}

/** How long expired or used links and sent mail are kept when `keepLinksFor` is not given. */
const DEFAULT_KEEP_LINKS_FOR = { days: 30 } as const;

/**
 * Writes a cleanup's one `info` line (`CleanupOptions.logger`): what each
 * kind lost, the audit retentions applied and how long it took. Every
 * store's cleanup calls it once, at the end.
 */
export function logCleanup(
  options: CleanupOptions,
  report: CleanupReport,
  durationMs: number,
): void {
  const days = (duration: DurationLike) => Duration.fromDurationLike(duration).as("days");
  logSafely(options.logger ?? silentLogger, "info", "cleanup done", {
    ...report,
    auditRetentionDays: days(options.keepAuditEventsFor ?? AUDIT_RETENTION),
    failedLoginsWithoutAccountRetentionDays: days(
      options.keepFailedLoginsWithoutAccountFor ?? FAILED_LOGIN_WITHOUT_ACCOUNT_RETENTION,
    ),
    durationMs: Math.round(durationMs),
  });
}

/** The cut-offs every store's cleanup applies: computed once here, so the stores cannot differ. */
export function cleanupCutoffs(options: CleanupOptions): CleanupCutoffs {
  const keepLinksFor = options.keepLinksFor ?? DEFAULT_KEEP_LINKS_FOR;
  return {
    now: options.now,
    keptSince: options.now.minus({ days: keepLinksFor.days }),
    auditKeptSince: options.now.minus(options.keepAuditEventsFor ?? AUDIT_RETENTION),
    failedLoginsWithoutAccountKeptSince: options.now.minus(
      options.keepFailedLoginsWithoutAccountFor ?? FAILED_LOGIN_WITHOUT_ACCOUNT_RETENTION,
    ),
  };
}
