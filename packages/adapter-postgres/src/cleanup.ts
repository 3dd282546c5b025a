import {
  type CleanupReport,
  type CleanupOptions as CoreCleanupOptions,
  cleanupCutoffs,
} from "@panel-access/core";
import type { SqlDriver } from "./driver.js";
import { param } from "./rows.js";
import { quotedSchema, type SchemaOptions } from "./schema.js";
import { decayedSql } from "./throttle-store.js";

/** A throttle counter decayed below this is forgotten (as `InProcessThrottleStore` does). */
const NEGLIGIBLE = 0.01;

/** The options every store's cleanup takes (`now`, `keepLinksFor`: 30 days by default), and the schema. */
export interface CleanupOptions extends CoreCleanupOptions, SchemaOptions {}

export type { CleanupReport };

/**
 * Deletes what can no longer work: links (invitations, resets, login
 * challenges) expired or used more than `keepLinksFor` ago, sessions past
 * their absolute expiry, and remembered browsers past theirs. Plain guarded
 * DELETEs in one transaction: safe to run from a scheduler, on several
 * instances at once, while logins go on. Chained links never lose their
 * latest member to this (it is expired or used, so its successor rule no
 * longer matters). Sent messages of the outbox go after `keepLinksFor` too;
 * pending and failed ones are never deleted. Throttle counters (LCK-9) go
 * once they have decayed below 0.01 at `now`, each by its own half-life;
 * counters that a login is changing at that moment are passed over (`SKIP
 * LOCKED`: the cleanup never waits for a login, nor a login for long on it)
 * and go at the next run. Audit events (AUD-2) go once older than
 * `keepAuditEventsFor` (pass `panelAccess.options.audit.keepFor`), failed
 * logins for an e-mail no account has once older than
 * `keepFailedLoginsWithoutAccountFor` (30 days by default).
 */
export async function cleanup(driver: SqlDriver, options: CleanupOptions): Promise<CleanupReport> {
  const s = quotedSchema(options);
  const cutoffs = cleanupCutoffs(options);
  const now = param(cutoffs.now);
  const keptSince = param(cutoffs.keptSince);
  return driver.transaction(async (client) => {
    const links = await client.query(
      `DELETE FROM ${s}.links WHERE expires_at < $1 OR consumed_at < $1 RETURNING id`,
      [keptSince],
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
      [keptSince],
    );
    // Locked in key order, skipping rows an add holds: no deadlock with PostgresThrottleStore.
    const throttle = await client.query(
      `DELETE FROM ${s}.throttle_counters WHERE key IN (
         SELECT key FROM ${s}.throttle_counters
          WHERE ${decayedSql("value", "updated_at", "$1::timestamptz", "half_life_ms")} < ${NEGLIGIBLE}
          ORDER BY key FOR UPDATE SKIP LOCKED)
       RETURNING key`,
      [now],
    );
    const auditEvents = await client.query(
      `DELETE FROM ${s}.audit_events WHERE at < $1
          OR (account_id IS NULL AND type = 'login.failed' AND at < $2)
       RETURNING id`,
      [param(cutoffs.auditKeptSince), param(cutoffs.failedLoginsWithoutAccountKeptSince)],
    );
    return {
      auditEvents: auditEvents.rows.length,
      throttleCounters: throttle.rows.length,
      sentMail: sentMail.rows.length,
      links: links.rows.length,
      sessions: sessions.rows.length,
      rememberedBrowsers: browsers.rows.length,
    };
  });
}
