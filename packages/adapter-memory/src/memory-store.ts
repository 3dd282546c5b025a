import {
  type CleanupReport,
  type LockScope,
  lockKeysOf,
  logCleanup,
  type SessionSnapshot,
  type StoragePort,
  type StorageTx,
} from "@panel-access/core";
import { KeyedMutex } from "./keyed-mutex.js";
import { accountsTx } from "./store/accounts.js";
import { auditTx } from "./store/audit.js";
import { backupCodesTx } from "./store/backup-codes.js";
import { deleteDeadRecords, type MemoryCleanupOptions } from "./store/cleanup.js";
import { linksTx } from "./store/links.js";
import { mailOutboxTx } from "./store/mail-outbox.js";
import { membershipsTx } from "./store/memberships.js";
import { panelsTx } from "./store/panels.js";
import { rememberedBrowsersTx } from "./store/remembered-browsers.js";
import { sessionsTx } from "./store/sessions.js";
import { Tables } from "./store/tables.js";
import { totpStepsTx } from "./store/totp-steps.js";
import { UnitOfWork } from "./store/unit-of-work.js";
import type { Table } from "./table.js";

export { MemoryConstraintError } from "./store/constraint-error.js";

/**
 * The storage port in memory, with the guarantees a database gives:
 * units of work on overlapping scopes run one after the other (a FIFO lock per
 * account e-mail and panel id, taken in sorted order); a unit of work that
 * rejects leaves nothing behind (its writes sit in an overlay until commit);
 * `consumeLink` holds a row lock until the unit of work ends, so two callers
 * never both consume a link. One instance is one database: share it between
 * the `createPanelAccess` instances that stand for several app servers.
 */
export class MemoryStore implements StoragePort {
  readonly #tables = new Tables();
  readonly #locks = new KeyedMutex();

  async transact<T>(scope: LockScope, work: (tx: StorageTx) => Promise<T>): Promise<T> {
    return this.#inUnitOfWork(scope, (unit) => work(memoryTx(unit)));
  }

  /**
   * SES-3: the session, its account, the account's memberships and their
   * panels, read from the committed state at one instant (a commit applies
   * all its writes at once), with no lock and no unit of work.
   */
  async readSession(id: string): Promise<SessionSnapshot | null> {
    const tables = this.#tables;
    const session = tables.sessions.rows.get(id);
    const account = session && tables.accounts.rows.get(session.accountId);
    if (session === undefined || account === undefined) return null;
    const memberships = [...tables.memberships.idsBy("account", account.id)].flatMap(
      (membershipId) => tables.memberships.rows.get(membershipId) ?? [],
    );
    const panels = [...new Set(memberships.map((m) => m.panelId))].flatMap(
      (panelId) => tables.panels.rows.get(panelId) ?? [],
    );
    return { session, account, memberships, panels };
  }

  /**
   * Deletes what can no longer work, exactly as PostgreSQL's `cleanup()`
   * does: links (invitations, resets, login challenges) expired or used
   * more than `keepLinksFor` ago (default 30 days), sessions at or past
   * their absolute expiry, remembered browsers at or past theirs, sent mail
   * sent more than `keepLinksFor` ago (pending and failed mail never), and,
   * when given `throttle`, its counters decayed below 0.01 (LCK-9), and
   * audit events older than `keepAuditEventsFor` (AUD-2: spread
   * `panelAccess.options.audit.cleanup` into the options; without it, 365
   * days whatever `audit.keepFor` says) and failed logins for an e-mail no
   * account has older than `keepFailedLoginsWithoutAccountFor` (30 days). Run it
   * from a scheduler, hourly for example, so that a long-running process
   * stays flat.
   *
   * It is one unit of work with an empty scope: its deletions commit
   * together, so no unit of work ever sees half a cleanup, and it waits for
   * none: a link or message another unit of work holds the row lock of at
   * that moment is passed over (`SKIP LOCKED`) and goes at the next run.
   * It says what it deleted to `logger` (one `info` line "cleanup done":
   * the count of each kind, the audit retentions applied, `durationMs`).
   */
  async cleanup(options: MemoryCleanupOptions): Promise<CleanupReport> {
    const started = performance.now();
    const deleted = await this.#inUnitOfWork({}, async (unit) =>
      deleteDeadRecords(this.#tables, unit, options),
    );
    const throttleCounters = options.throttle?.forgetDecayed(options.now) ?? 0;
    const report = { ...deleted, throttleCounters };
    logCleanup(options, report, performance.now() - started);
    return report;
  }

  /**
   * How many records of each kind are committed: for tests that check
   * "nothing changed", and for watching the store's size (add them up).
   */
  counts(): {
    accounts: number;
    panels: number;
    memberships: number;
    links: number;
    sessions: number;
    backupCodes: number;
    rememberedBrowsers: number;
    totpSteps: number;
    mail: number;
    auditEvents: number;
  } {
    const tables = this.#tables;
    return {
      accounts: tables.accounts.rows.size,
      panels: tables.panels.rows.size,
      memberships: tables.memberships.rows.size,
      links: tables.links.rows.size,
      sessions: tables.sessions.rows.size,
      backupCodes: tables.backupCodes.rows.size,
      rememberedBrowsers: tables.rememberedBrowsers.rows.size,
      totpSteps: tables.totpSteps.rows.size,
      mail: tables.mail.rows.size,
      auditEvents: tables.auditEvents.rows.size,
    };
  }

  /** A deep, comparable copy of everything committed (for "nothing changed" checks). */
  snapshot(): unknown {
    const tables = this.#tables;
    const rows = <V>(table: Table<V>) =>
      [...table.rows.entries()].sort(([firstId], [secondId]) => firstId.localeCompare(secondId));
    return JSON.parse(
      JSON.stringify({
        accounts: rows(tables.accounts),
        panels: rows(tables.panels),
        memberships: rows(tables.memberships),
        links: rows(tables.links),
        sessions: rows(tables.sessions),
        backupCodes: rows(tables.backupCodes),
        rememberedBrowsers: rows(tables.rememberedBrowsers),
        totpSteps: rows(tables.totpSteps),
        mail: rows(tables.mail),
        auditEvents: rows(tables.auditEvents),
      }),
    );
  }

  /**
   * Runs `work` over a new unit of work holding `scope`'s locks; commits it
   * if `work` resolves, and releases every lock (row locks too) either way.
   */
  async #inUnitOfWork<T>(scope: LockScope, work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const key of lockKeysOf(scope)) releases.push(await this.#locks.acquire(key));
      const unit = new UnitOfWork(this.#tables, this.#locks, releases);
      const value = await work(unit);
      unit.commit();
      return value;
    } finally {
      for (const release of releases.reverse()) release();
    }
  }
}

/** One unit of work's reads and writes: each kind of record's part, over the same overlays and locks. */
function memoryTx(unit: UnitOfWork): StorageTx {
  const memberships = membershipsTx(unit);
  return {
    ...accountsTx(unit, memberships),
    ...panelsTx(unit),
    ...memberships,
    ...linksTx(unit),
    ...sessionsTx(unit),
    ...totpStepsTx(unit),
    ...backupCodesTx(unit),
    ...rememberedBrowsersTx(unit),
    ...mailOutboxTx(unit),
    ...auditTx(unit),
  };
}
