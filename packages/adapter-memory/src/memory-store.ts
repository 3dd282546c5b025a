import {
  type AccountRecord,
  type AccountWithMemberships,
  type BackupCodeRecord,
  type LinkPurpose,
  type LockScope,
  lockKeysOf,
  type MailClaim,
  type MailOutcome,
  type MembershipRecord,
  type OneTimeLinkRecord,
  type OutboxMessageRecord,
  type OutboxStatus,
  type PanelRecord,
  type RememberedBrowserRecord,
  type SessionRecord,
  type StoragePort,
  type StorageTx,
} from "@panel-access/core";
import type { DateTime } from "luxon";
import { KeyedMutex } from "./keyed-mutex.js";
import { Overlay } from "./overlay.js";
import { Table } from "./table.js";

/** A unique constraint was violated, as a database would report it. */
export class MemoryConstraintError extends Error {
  override readonly name = "MemoryConstraintError";
}

const membershipKey = (accountId: string, panelId: string) => `${accountId}\u0000${panelId}`;
const linkKey = (accountId: string, purpose: LinkPurpose) => `${accountId}\u0000${purpose}`;
const backupKey = (accountId: string, codeHash: string) => `${accountId}\u0000${codeHash}`;

/** The committed state, with the indexes every lookup of the port uses. */
class Tables {
  readonly accounts = new Table<AccountRecord>({ email: (a) => a.email });
  readonly panels = new Table<PanelRecord>();
  readonly memberships = new Table<MembershipRecord>({
    account: (m) => m.accountId,
    panel: (m) => m.panelId,
  });
  readonly links = new Table<OneTimeLinkRecord>({
    accountPurpose: (l) => linkKey(l.accountId, l.purpose),
  });
  readonly sessions = new Table<SessionRecord>({ account: (s) => s.accountId });
  /** Keyed by account id and code hash. */
  readonly backupCodes = new Table<BackupCodeRecord>({ account: (c) => c.accountId });
  readonly rememberedBrowsers = new Table<RememberedBrowserRecord>({ account: (b) => b.accountId });
  /** The last accepted TOTP step per account id. */
  readonly totpSteps = new Table<{ step: number }>();
  /** The outbox (MAIL-2). */
  readonly mail = new Table<OutboxMessageRecord>({ status: (m) => m.status });
}

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
    const releases: (() => void)[] = [];
    try {
      for (const key of lockKeysOf(scope)) releases.push(await this.#locks.acquire(key));
      const tx = new MemoryTx(this.#tables, this.#locks, releases);
      const value = await work(tx);
      tx.commit();
      return value;
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  /** How many records of each kind are committed (for tests that check "nothing changed"). */
  counts(): {
    accounts: number;
    panels: number;
    memberships: number;
    links: number;
    sessions: number;
  } {
    const t = this.#tables;
    return {
      accounts: t.accounts.rows.size,
      panels: t.panels.rows.size,
      memberships: t.memberships.rows.size,
      links: t.links.rows.size,
      sessions: t.sessions.rows.size,
    };
  }

  /** A deep, comparable copy of everything committed (for "nothing changed" checks). */
  snapshot(): unknown {
    const t = this.#tables;
    const rows = <V>(table: Table<V>) =>
      [...table.rows.entries()].sort(([a], [b]) => a.localeCompare(b));
    return JSON.parse(
      JSON.stringify({
        accounts: rows(t.accounts),
        panels: rows(t.panels),
        memberships: rows(t.memberships),
        links: rows(t.links),
        sessions: rows(t.sessions),
        backupCodes: rows(t.backupCodes),
        rememberedBrowsers: rows(t.rememberedBrowsers),
        totpSteps: rows(t.totpSteps),
        mail: rows(t.mail),
      }),
    );
  }
}

class MemoryTx implements StorageTx {
  readonly #accounts: Overlay<AccountRecord>;
  readonly #panels: Overlay<PanelRecord>;
  readonly #memberships: Overlay<MembershipRecord>;
  readonly #links: Overlay<OneTimeLinkRecord>;
  readonly #sessions: Overlay<SessionRecord>;
  readonly #backupCodes: Overlay<BackupCodeRecord>;
  readonly #rememberedBrowsers: Overlay<RememberedBrowserRecord>;
  readonly #totpSteps: Overlay<{ step: number }>;
  readonly #mail: Overlay<OutboxMessageRecord>;

  constructor(
    tables: Tables,
    private readonly locks: KeyedMutex,
    private readonly heldLocks: (() => void)[],
  ) {
    this.#accounts = new Overlay(tables.accounts);
    this.#panels = new Overlay(tables.panels);
    this.#memberships = new Overlay(tables.memberships);
    this.#links = new Overlay(tables.links);
    this.#sessions = new Overlay(tables.sessions);
    this.#backupCodes = new Overlay(tables.backupCodes);
    this.#rememberedBrowsers = new Overlay(tables.rememberedBrowsers);
    this.#totpSteps = new Overlay(tables.totpSteps);
    this.#mail = new Overlay(tables.mail);
  }

  commit(): void {
    this.#accounts.commit();
    this.#panels.commit();
    this.#memberships.commit();
    this.#links.commit();
    this.#sessions.commit();
    this.#backupCodes.commit();
    this.#rememberedBrowsers.commit();
    this.#totpSteps.commit();
    this.#mail.commit();
  }

  async findAccountByEmail(email: string): Promise<AccountRecord | null> {
    for (const account of this.#accounts.by("email", email)) return account;
    return null;
  }

  async findAccountById(id: string): Promise<AccountRecord | null> {
    return this.#accounts.get(id) ?? null;
  }

  async findAccountWithMemberships(
    key: { readonly id: string } | { readonly email: string },
  ): Promise<AccountWithMemberships | null> {
    const account =
      "id" in key ? await this.findAccountById(key.id) : await this.findAccountByEmail(key.email);
    return account && { account, memberships: await this.listMembershipsOfAccount(account.id) };
  }

  async findAccountsByIds(ids: readonly string[]): Promise<AccountRecord[]> {
    return [...new Set(ids)].flatMap((id) => this.#accounts.get(id) ?? []);
  }

  async createAccount(account: AccountRecord): Promise<void> {
    if (this.#accounts.has(account.id) || (await this.findAccountByEmail(account.email))) {
      throw new MemoryConstraintError("account id or e-mail already exists");
    }
    this.#accounts.set(account.id, account);
  }

  async updateAccount(account: AccountRecord): Promise<void> {
    const existing = this.#accounts.get(account.id);
    if (existing === undefined) throw new MemoryConstraintError("no such account");
    if (existing.email !== account.email)
      throw new MemoryConstraintError("an e-mail never changes");
    this.#accounts.set(account.id, account);
  }

  async findPanel(id: string): Promise<PanelRecord | null> {
    return this.#panels.get(id) ?? null;
  }

  async findPanels(ids: readonly string[]): Promise<PanelRecord[]> {
    return [...new Set(ids)].flatMap((id) => this.#panels.get(id) ?? []);
  }

  async createPanel(panel: PanelRecord): Promise<void> {
    if (this.#panels.has(panel.id)) throw new MemoryConstraintError("panel id already exists");
    this.#panels.set(panel.id, panel);
  }

  async findMembership(accountId: string, panelId: string): Promise<MembershipRecord | null> {
    return this.#memberships.get(membershipKey(accountId, panelId)) ?? null;
  }

  async listMembershipsOfAccount(accountId: string): Promise<MembershipRecord[]> {
    return [...this.#memberships.by("account", accountId)];
  }

  async listMembershipsOfPanel(panelId: string): Promise<MembershipRecord[]> {
    return [...this.#memberships.by("panel", panelId)];
  }

  async putMembership(membership: MembershipRecord): Promise<void> {
    if (!this.#accounts.has(membership.accountId) || !this.#panels.has(membership.panelId)) {
      throw new MemoryConstraintError("membership of an unknown account or panel");
    }
    this.#memberships.set(membershipKey(membership.accountId, membership.panelId), membership);
  }

  async deleteMembership(accountId: string, panelId: string): Promise<void> {
    this.#memberships.delete(membershipKey(accountId, panelId));
  }

  async findLink(id: string): Promise<OneTimeLinkRecord | null> {
    return this.#links.get(id) ?? null;
  }

  async findLatestLink(accountId: string, purpose: LinkPurpose): Promise<OneTimeLinkRecord | null> {
    let latest: OneTimeLinkRecord | null = null;
    for (const link of this.#links.by("accountPurpose", linkKey(accountId, purpose))) {
      if (latest === null || link.sequence > latest.sequence) latest = link;
    }
    return latest;
  }

  async countLinksIssuedSince(
    accountId: string,
    purpose: LinkPurpose,
    since: DateTime,
  ): Promise<number> {
    let count = 0;
    for (const link of this.#links.by("accountPurpose", linkKey(accountId, purpose))) {
      if (link.issuedAt.toMillis() >= since.toMillis()) count += 1;
    }
    return count;
  }

  async createLink(link: OneTimeLinkRecord): Promise<void> {
    const clash =
      this.#links.has(link.id) ||
      (link.sequence > 0 &&
        [...this.#links.by("accountPurpose", linkKey(link.accountId, link.purpose))].some(
          (l) => l.sequence === link.sequence,
        ));
    if (clash)
      throw new MemoryConstraintError("link id or (account, purpose, sequence) already exists");
    if (!this.#accounts.has(link.accountId))
      throw new MemoryConstraintError("link of an unknown account");
    this.#links.set(link.id, link);
  }

  async consumeLink(id: string, at: DateTime): Promise<boolean> {
    await this.#lockRow(`link:${id}`);
    const link = this.#links.get(id);
    if (link === undefined || link.consumedAt !== null) return false;
    this.#links.set(id, { ...link, consumedAt: at });
    return true;
  }

  async consumeOpenLinks(accountId: string, purpose: LinkPurpose, at: DateTime): Promise<number> {
    const open = [...this.#links.by("accountPurpose", linkKey(accountId, purpose))].filter(
      (l) => l.consumedAt === null,
    );
    for (const link of open) {
      await this.#lockRow(`link:${link.id}`);
      const current = this.#links.get(link.id);
      if (current?.consumedAt === null) this.#links.set(link.id, { ...current, consumedAt: at });
    }
    return open.length;
  }

  async createSession(session: SessionRecord): Promise<void> {
    if (this.#sessions.has(session.id))
      throw new MemoryConstraintError("session id already exists");
    if (!this.#accounts.has(session.accountId))
      throw new MemoryConstraintError("session of an unknown account");
    this.#sessions.set(session.id, session);
  }

  async findSession(id: string): Promise<SessionRecord | null> {
    return this.#sessions.get(id) ?? null;
  }

  async touchSession(id: string, at: DateTime): Promise<boolean> {
    const session = this.#sessions.get(id);
    if (session === undefined) return false;
    this.#sessions.set(id, { ...session, lastUsedAt: at });
    return true;
  }

  async deleteSession(id: string): Promise<boolean> {
    const existed = this.#sessions.has(id);
    this.#sessions.delete(id);
    return existed;
  }

  async deleteSessionsOfAccount(accountId: string): Promise<string[]> {
    const ids = [...this.#sessions.by("account", accountId)].map((s) => s.id);
    for (const id of ids) this.#sessions.delete(id);
    return ids;
  }

  /** Row locks this unit of work holds: like a database's, they are re-entrant. */
  readonly #rowsHeld = new Set<string>();

  /** The row lock a guarded UPDATE takes: held until this unit of work ends. */
  async #lockRow(key: string): Promise<void> {
    if (this.#rowsHeld.has(key)) return;
    this.heldLocks.push(await this.locks.acquire(key));
    this.#rowsHeld.add(key);
  }

  /** Takes the row lock if it is free (`SKIP LOCKED`); answers whether this unit of work holds it. */
  #tryLockRow(key: string): boolean {
    if (this.#rowsHeld.has(key)) return true;
    const release = this.locks.tryAcquire(key);
    if (release === null) return false;
    this.heldLocks.push(release);
    this.#rowsHeld.add(key);
    return true;
  }

  async acceptTotpStep(accountId: string, step: number): Promise<boolean> {
    await this.#lockRow(`totp:${accountId}`);
    const last = this.#totpSteps.get(accountId);
    if (last !== undefined && last.step >= step) return false;
    this.#totpSteps.set(accountId, { step });
    return true;
  }

  async forgetTotpSteps(accountId: string): Promise<void> {
    this.#totpSteps.delete(accountId);
  }

  async replaceBackupCodes(accountId: string, codes: readonly BackupCodeRecord[]): Promise<void> {
    for (const old of [...this.#backupCodes.by("account", accountId)]) {
      this.#backupCodes.delete(backupKey(old.accountId, old.codeHash));
    }
    for (const code of codes) {
      if (code.accountId !== accountId)
        throw new MemoryConstraintError("backup code of another account");
      this.#backupCodes.set(backupKey(code.accountId, code.codeHash), code);
    }
  }

  async consumeBackupCode(accountId: string, codeHash: string, at: DateTime): Promise<boolean> {
    const key = backupKey(accountId, codeHash);
    await this.#lockRow(`backup:${key}`);
    const code = this.#backupCodes.get(key);
    if (code === undefined || code.usedAt !== null) return false;
    this.#backupCodes.set(key, { ...code, usedAt: at });
    return true;
  }

  async countUnusedBackupCodes(accountId: string): Promise<number> {
    return [...this.#backupCodes.by("account", accountId)].filter((c) => c.usedAt === null).length;
  }

  async createRememberedBrowser(browser: RememberedBrowserRecord): Promise<void> {
    if (this.#rememberedBrowsers.has(browser.id))
      throw new MemoryConstraintError("browser id already exists");
    if (!this.#accounts.has(browser.accountId))
      throw new MemoryConstraintError("browser of an unknown account");
    this.#rememberedBrowsers.set(browser.id, browser);
  }

  async findRememberedBrowser(id: string): Promise<RememberedBrowserRecord | null> {
    return this.#rememberedBrowsers.get(id) ?? null;
  }

  async listRememberedBrowsers(accountId: string): Promise<RememberedBrowserRecord[]> {
    return [...this.#rememberedBrowsers.by("account", accountId)];
  }

  async touchRememberedBrowser(id: string, at: DateTime): Promise<boolean> {
    const browser = this.#rememberedBrowsers.get(id);
    if (browser === undefined) return false;
    this.#rememberedBrowsers.set(id, { ...browser, lastUsedAt: at });
    return true;
  }

  async deleteRememberedBrowser(id: string): Promise<boolean> {
    const existed = this.#rememberedBrowsers.has(id);
    this.#rememberedBrowsers.delete(id);
    return existed;
  }

  async deleteRememberedBrowsersOfAccount(accountId: string): Promise<string[]> {
    const ids = [...this.#rememberedBrowsers.by("account", accountId)].map((b) => b.id);
    for (const id of ids) this.#rememberedBrowsers.delete(id);
    return ids;
  }

  async enqueueMail(message: OutboxMessageRecord): Promise<void> {
    if (this.#mail.has(message.id)) throw new MemoryConstraintError("message id already exists");
    if (!this.#accounts.has(message.accountId))
      throw new MemoryConstraintError("message to an unknown account");
    this.#mail.set(message.id, message);
  }

  async claimMail(claim: MailClaim): Promise<OutboxMessageRecord[]> {
    const now = claim.now.toMillis();
    const claimable = (m: OutboxMessageRecord | undefined): m is OutboxMessageRecord =>
      m !== undefined &&
      m.status === "pending" &&
      m.nextAttemptAt.toMillis() <= now &&
      (m.claimedUntil === null || m.claimedUntil.toMillis() <= now) &&
      (claim.ids === undefined || claim.ids.includes(m.id));
    const candidates = (
      claim.ids
        ? claim.ids.flatMap((id) => this.#mail.get(id) ?? [])
        : [...this.#mail.by("status", "pending")]
    )
      .filter(claimable)
      .sort((a, b) => a.createdAt.toMillis() - b.createdAt.toMillis() || a.id.localeCompare(b.id));
    const claimed: OutboxMessageRecord[] = [];
    for (const candidate of candidates) {
      if (claimed.length >= claim.limit) break;
      // Like `FOR UPDATE SKIP LOCKED`: a row another claim holds is passed over.
      if (!this.#tryLockRow(`mail:${candidate.id}`)) continue;
      const current = this.#mail.get(candidate.id);
      if (!claimable(current)) continue;
      const taken = { ...current, claimedUntil: claim.until, claimId: claim.claimId };
      this.#mail.set(taken.id, taken);
      claimed.push(taken);
    }
    return claimed;
  }

  async settleMail(id: string, claimId: string, outcome: MailOutcome): Promise<boolean> {
    await this.#lockRow(`mail:${id}`);
    const message = this.#mail.get(id);
    if (message === undefined || message.claimId !== claimId || message.status !== "pending")
      return false;
    const released = { ...message, claimedUntil: null, claimId: null };
    this.#mail.set(
      id,
      outcome.status === "sent"
        ? {
            ...released,
            status: "sent",
            sentAt: outcome.at,
            payload: null,
            attempts: message.attempts + 1,
          }
        : {
            ...released,
            status: outcome.status,
            attempts: outcome.attempts,
            nextAttemptAt: outcome.nextAttemptAt,
            lastError: outcome.lastError,
          },
    );
    return true;
  }

  async requeueMail(id: string, at: DateTime): Promise<boolean> {
    await this.#lockRow(`mail:${id}`);
    const message = this.#mail.get(id);
    if (message === undefined || message.status !== "failed") return false;
    this.#mail.set(id, { ...message, status: "pending", attempts: 0, nextAttemptAt: at });
    return true;
  }

  async listMail(status: OutboxStatus, limit: number): Promise<OutboxMessageRecord[]> {
    return [...this.#mail.by("status", status)]
      .sort((a, b) => a.createdAt.toMillis() - b.createdAt.toMillis() || a.id.localeCompare(b.id))
      .slice(0, limit);
  }
}
