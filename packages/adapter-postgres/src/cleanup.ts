import {
  type CleanupReport,
  type CleanupOptions as CoreCleanupOptions,
  cleanupCutoffs,
  EVENT_TYPES,
  logCleanup,
} from "@panel-access/core";
import type { SqlDriver } from "./driver.js";
import { param } from "./rows.js";
import { quotedSchema, type SchemaOptions } from "./schema.js";
import { decayedSql } from "./throttle-store.js";

/** A throttle counter decayed below this is forgotten (as `InProcessThrottleStore` does). */
const NEGLIGIBLE = 0.01;

/** Audit events one statement of a cleanup deletes at most. */
const AUDIT_BATCH_SIZE = 10_000;

/** The options every store's cleanup takes (`now`, `keepLinksFor`: 30 days by default), and the schema. */
export interface CleanupOptions extends CoreCleanupOptions, SchemaOptions {
  /**
   * AUD-2: how many audit events one statement deletes at most. The trail
   * is deleted in statements of this size, each in a transaction of its
   * own, until one deletes fewer: a year of events going at once never
   * makes one huge transaction (locks, WAL, a long-held snapshot).
   * @default 10,000
   */
  readonly auditBatchSize?: number;
}

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
 * `keepAuditEventsFor` (spread `panelAccess.options.audit.cleanup` into
 * the options: without it, 365 days whatever `audit.keepFor` says), failed
 * logins for an e-mail no account has once older than
 * `keepFailedLoginsWithoutAccountFor` (30 days by default), after that
 * transaction, in batches of `auditBatchSize` (10,000) rows, each batch a
 * transaction of its own: a cleanup that stops half-way has deleted whole
 * batches, and the next run deletes the rest. Says what it deleted to
 * `logger` (one `info` line, counts and duration only).
 */
export async function cleanup(driver: SqlDriver, options: CleanupOptions): Promise<CleanupReport> {
  const started = performance.now();
  const s = quotedSchema(options);
  const cutoffs = cleanupCutoffs(options);
  const batch = { driver, size: options.auditBatchSize ?? AUDIT_BATCH_SIZE };
  if (!Number.isSafeInteger(batch.size) || batch.size < 1)
    throw new RangeError(`auditBatchSize must be a positive integer, not ${batch.size}`);
  const now = param(cutoffs.now);
  const keptSince = param(cutoffs.keptSince);
  const report = await driver.transaction(async (client) => {
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
    return {
      throttleCounters: throttle.rows.length,
      sentMail: sentMail.rows.length,
      links: links.rows.length,
      sessions: sessions.rows.length,
      rememberedBrowsers: browsers.rows.length,
    };
  });
  // By the index (type, at, id): one range per kind (there is no index by `at` alone).
  const old = await deleteInBatches(batch, `${s}.audit_events`, "type = ANY($2) AND at < $1", [
    param(cutoffs.auditKeptSince),
    [...EVENT_TYPES],
  ]);
  // By the index (account_id, type, at, id): account_id IS NULL is a range of it.
  const failedLogins = await deleteInBatches(
    batch,
    `${s}.audit_events`,
    "account_id IS NULL AND type = 'login.failed' AND at < $1",
    [param(cutoffs.failedLoginsWithoutAccountKeptSince)],
  );
  const done = { ...report, auditEvents: old + failedLogins };
  logCleanup(options, done, performance.now() - started);
  return done;
}

/**
 * Deletes the rows of `table` that match `where` (its parameters `$1`…),
 * `batch.size` at most per statement, each statement in a transaction of
 * its own, until one deletes fewer; answers how many went. Rows another
 * transaction holds are passed over (`SKIP LOCKED`): two cleanups at once
 * share the work instead of waiting on each other.
 */
async function deleteInBatches(
  batch: { readonly driver: SqlDriver; readonly size: number },
  table: string,
  where: string,
  params: readonly unknown[],
): Promise<number> {
  const limit = `$${params.length + 1}`;
  // `id = ANY(ARRAY(…))`: the batch's rows are then found by the primary key, one
  // index probe each (with `id IN (…)` the planner may hash-join a scan of the table).
  const sql = `WITH gone AS (
      DELETE FROM ${table} WHERE id = ANY(ARRAY(
        SELECT id FROM ${table} WHERE ${where} LIMIT ${limit} FOR UPDATE SKIP LOCKED))
      RETURNING 1)
    SELECT count(*)::int AS n FROM gone`;
  let total = 0;
  for (;;) {
    const { rows } = await batch.driver.transaction((client) =>
      client.query<{ n: number }>(sql, [...params, batch.size]),
    );
    const deleted = Number(rows[0]?.n ?? 0);
    total += deleted;
    if (deleted < batch.size) return total;
  }
}
