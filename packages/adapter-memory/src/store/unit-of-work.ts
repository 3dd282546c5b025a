import type {
  AccountRecord,
  AuditEventRecord,
  BackupCodeRecord,
  MembershipRecord,
  OneTimeLinkRecord,
  OutboxMessageRecord,
  PanelRecord,
  RememberedBrowserRecord,
  SessionRecord,
} from "@panel-access/core";
import type { KeyedMutex } from "../keyed-mutex.js";
import { Overlay } from "../overlay.js";
import type { Tables } from "./tables.js";

/**
 * One unit of work's view of the tables: an overlay on each (its writes reach
 * the tables on `commit`), and the row locks it holds until it ends.
 */
export class UnitOfWork {
  readonly accounts: Overlay<AccountRecord>;
  readonly panels: Overlay<PanelRecord>;
  readonly memberships: Overlay<MembershipRecord>;
  readonly links: Overlay<OneTimeLinkRecord>;
  readonly sessions: Overlay<SessionRecord>;
  readonly backupCodes: Overlay<BackupCodeRecord>;
  readonly rememberedBrowsers: Overlay<RememberedBrowserRecord>;
  readonly totpSteps: Overlay<{ step: number }>;
  readonly mail: Overlay<OutboxMessageRecord>;
  readonly auditEvents: Overlay<AuditEventRecord>;

  /**
   * @param locks the store's locks, row locks among them
   * @param heldLocks the releases of the locks this unit of work holds; the store calls them when it ends
   */
  constructor(
    tables: Tables,
    private readonly locks: KeyedMutex,
    private readonly heldLocks: (() => void)[],
  ) {
    this.accounts = new Overlay(tables.accounts);
    this.panels = new Overlay(tables.panels);
    this.memberships = new Overlay(tables.memberships);
    this.links = new Overlay(tables.links);
    this.sessions = new Overlay(tables.sessions);
    this.backupCodes = new Overlay(tables.backupCodes);
    this.rememberedBrowsers = new Overlay(tables.rememberedBrowsers);
    this.totpSteps = new Overlay(tables.totpSteps);
    this.mail = new Overlay(tables.mail);
    this.auditEvents = new Overlay(tables.auditEvents);
  }

  commit(): void {
    this.accounts.commit();
    this.panels.commit();
    this.memberships.commit();
    this.links.commit();
    this.sessions.commit();
    this.backupCodes.commit();
    this.rememberedBrowsers.commit();
    this.totpSteps.commit();
    this.mail.commit();
    this.auditEvents.commit();
  }

  /** Row locks this unit of work holds: like a database's, they are re-entrant. */
  readonly #rowsHeld = new Set<string>();

  /** The row lock a guarded UPDATE takes: held until this unit of work ends. */
  async lockRow(key: string): Promise<void> {
    if (this.#rowsHeld.has(key)) return;
    this.heldLocks.push(await this.locks.acquire(key));
    this.#rowsHeld.add(key);
  }

  /**
   * Deletes from `overlay` each row of `ids` under its row lock (`lockOf`),
   * taken in sorted order so that two such deletions never deadlock (a
   * `DELETE`'s row locks); answers the ids that were still there once locked.
   */
  async deleteLocked<V>(
    overlay: Overlay<V>,
    ids: Iterable<string>,
    lockOf: (id: string) => string,
  ): Promise<string[]> {
    const deleted: string[] = [];
    for (const id of [...ids].sort()) {
      await this.lockRow(lockOf(id));
      if (!overlay.has(id)) continue;
      overlay.delete(id);
      deleted.push(id);
    }
    return deleted;
  }

  /** Takes the row lock if it is free (`SKIP LOCKED`); answers whether this unit of work holds it. */
  tryLockRow(key: string): boolean {
    if (this.#rowsHeld.has(key)) return true;
    const release = this.locks.tryAcquire(key);
    if (release === null) return false;
    this.heldLocks.push(release);
    this.#rowsHeld.add(key);
    return true;
  }
}
