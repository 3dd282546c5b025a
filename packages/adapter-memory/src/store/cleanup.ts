import {
  type AuditEventRecord,
  type CleanupOptions,
  type CleanupReport,
  cleanupCutoffs,
  type InProcessThrottleStore,
} from "@panel-access/core";
import type { DateTime } from "luxon";
import type { Overlay } from "../overlay.js";
import type { Table } from "../table.js";
import { linkRowLock } from "./links.js";
import { mailRowLock } from "./mail-outbox.js";
import { rememberedBrowserRowLock } from "./remembered-browsers.js";
import { sessionRowLock } from "./sessions.js";
import type { Tables } from "./tables.js";
import type { UnitOfWork } from "./unit-of-work.js";

/** Options of `MemoryStore.cleanup`: the shared ones, and the throttle store to clean with it. */
export interface MemoryCleanupOptions extends CleanupOptions {
  /**
   * LCK-9: the throttle store whose decayed counters go too: the
   * `MemoryThrottleStore` the library counts in (`throttleStore`), which
   * lives beside this store, not in it. @default none: `throttleCounters`
   * is 0, and the throttle store keeps to its own `maxKeys` bound
   */
  readonly throttle?: InProcessThrottleStore;
}

/** What the store itself holds of a cleanup's report (the throttle counters live elsewhere). */
export type StoreCleanupReport = Omit<CleanupReport, "throttleCounters">;

const before = (instant: DateTime | null, cutoff: DateTime) =>
  instant !== null && instant.toMillis() < cutoff.toMillis();
/** AUD-2: a failed login for an e-mail no account has: it holds the address as typed. */
const isFailedLoginWithoutAccount = (event: AuditEventRecord) =>
  event.type === "login.failed" && event.accountId === null;
const atOrBefore = (instant: DateTime, cutoff: DateTime) => instant.toMillis() <= cutoff.toMillis();

/**
 * Deletes, in `unit`, what PostgreSQL's `cleanup()` deletes, with the same
 * cut-offs: links expired or used before `keptSince`, sessions and
 * remembered browsers expiring at or before `now`, mail sent before
 * `keptSince` (pending and failed mail never). A link, session or message
 * another unit of work holds the row lock of is passed over (`SKIP LOCKED`) and
 * goes at the next run: nothing is deleted under a unit of work that is
 * changing it. Accounts, panels, memberships, TOTP steps and backup codes
 * are never deleted, as on PostgreSQL: there are a bounded number per
 * account. Audit events go once older than `keepAuditEventsFor`, failed
 * logins without an account once older than
 * `keepFailedLoginsWithoutAccountFor` (AUD-2).
 */
export function deleteDeadRecords(
  tables: Tables,
  unit: UnitOfWork,
  options: CleanupOptions,
): StoreCleanupReport {
  const { now, keptSince, auditKeptSince, failedLoginsWithoutAccountKeptSince } =
    cleanupCutoffs(options);
  return {
    links: deleteWhere(
      tables.links,
      unit.links,
      (link) => before(link.expiresAt, keptSince) || before(link.consumedAt, keptSince),
      (id) => unit.tryLockRow(linkRowLock(id)),
    ),
    // SES-3: a touch holds the session's row lock until it commits; deleting
    // under it would let its commit put the row back.
    sessions: deleteWhere(
      tables.sessions,
      unit.sessions,
      (session) => atOrBefore(session.expiresAt, now),
      (id) => unit.tryLockRow(sessionRowLock(id)),
    ),
    // TFA-7: likewise for a remembered browser a login is touching.
    rememberedBrowsers: deleteWhere(
      tables.rememberedBrowsers,
      unit.rememberedBrowsers,
      (browser) => atOrBefore(browser.expiresAt, now),
      (id) => unit.tryLockRow(rememberedBrowserRowLock(id)),
    ),
    sentMail: deleteWhere(
      tables.mail,
      unit.mail,
      (message) => message.status === "sent" && before(message.sentAt, keptSince),
      (id) => unit.tryLockRow(mailRowLock(id)),
    ),
    // AUD-2: no row lock: nothing changes an event, and one being appended is not committed yet.
    auditEvents: deleteWhere(
      tables.auditEvents,
      unit.auditEvents,
      (event) =>
        before(event.at, auditKeptSince) ||
        (isFailedLoginWithoutAccount(event) &&
          before(event.at, failedLoginsWithoutAccountKeptSince)),
    ),
  };
}

/** Deletes, in `overlay`, the committed rows that are `dead` and whose row lock `lock` gets; answers how many. */
function deleteWhere<V>(
  table: Table<V>,
  overlay: Overlay<V>,
  dead: (row: V) => boolean,
  lock: (id: string) => boolean = () => true,
): number {
  let deleted = 0;
  for (const [id, row] of table.rows) {
    if (!dead(row) || !lock(id)) continue;
    overlay.delete(id);
    deleted += 1;
  }
  return deleted;
}
