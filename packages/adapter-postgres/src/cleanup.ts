import type { DateTime } from "luxon";
import type { SqlDriver } from "./driver.js";
import { param } from "./rows.js";
import { quotedSchema, type SchemaOptions } from "./schema.js";

export interface CleanupOptions extends SchemaOptions {
  /** The cut-off: usually the clock's `now()`. */
  readonly now: DateTime;
  /**
   * How long expired or used links are kept, so that a late click still hears
   * "expired" or "used" rather than "unknown". @default 30 days
   */
  readonly keepLinksFor?: { readonly days: number };
}

/** How many rows each kind lost. */
export interface CleanupReport {
  readonly links: number;
  readonly sessions: number;
  readonly rememberedBrowsers: number;
  /** Sent messages of the outbox (their payload was erased when sent), kept as long as links. */
  readonly sentMail: number;
}

/**
 * Deletes what can no longer work: links (invitations, resets, login
 * challenges) expired or used more than `keepLinksFor` ago, sessions past
 * their absolute expiry, and remembered browsers past theirs. Plain guarded
 * DELETEs in one transaction: safe to run from a scheduler, on several
 * instances at once, while logins go on. Chained links never lose their
 * latest member to this (it is expired or used, so its successor rule no
 * longer matters). Sent messages of the outbox go after `keepLinksFor` too;
 * pending and failed ones are never deleted.
 */
export async function cleanup(driver: SqlDriver, options: CleanupOptions): Promise<CleanupReport> {
  const s = quotedSchema(options);
  const now = param(options.now);
  const linksBefore = param(options.now.minus({ days: options.keepLinksFor?.days ?? 30 }));
  return driver.transaction(async (client) => {
    const links = await client.query(
      `DELETE FROM ${s}.links WHERE expires_at < $1 OR consumed_at < $1 RETURNING id`,
      [linksBefore],
    );
    const sessions = await client.query(
      `DELETE FROM ${s}.sessions WHERE expires_at <= $1 RETURNING id`,
      [now],
    );
    const browsers = await client.query(
      `DELETE FROM ${s}.remembered_browsers WHERE expires_at <= $1 RETURNING id`,
      [now],
    );
    const sentMail = await client.query(
      `DELETE FROM ${s}.mail_outbox WHERE status = 'sent' AND sent_at < $1 RETURNING id`,
      [linksBefore],
    );
    return {
      sentMail: sentMail.rows.length,
      links: links.rows.length,
      sessions: sessions.rows.length,
      rememberedBrowsers: browsers.rows.length,
    };
  });
}
