import type { DateTime } from "luxon";
import type { AccountRecord } from "../domain/account.js";
import type { AuditEventRecord, AuditPosition } from "../domain/audit.js";
import type { DomainEventType } from "../domain/events.js";
import type { MembershipRecord } from "../domain/membership.js";
import type { LinkPurpose, OneTimeLinkRecord } from "../domain/one-time-link.js";
import type {
  MailClaim,
  MailOutcome,
  MailSettlement,
  OutboxMessageRecord,
  OutboxStatus,
} from "../domain/outbox.js";
import type { PanelRecord } from "../domain/panel.js";
import type { SessionRecord } from "../domain/session.js";
import type { BackupCodeRecord, RememberedBrowserRecord } from "../domain/two-factor.js";

/**
 * What a unit of work serialises. Every use case that reads and then writes
 * names the accounts (by normalised e-mail, so that an account not yet created
 * can be locked too) and panels it touches.
 */
export interface LockScope {
  /** Normalised e-mails of the accounts the work may change. */
  readonly accounts?: readonly string[];
  /** Ids of the panels whose membership set the work may change (PNL-6). */
  readonly panels?: readonly string[];
}

/**
 * The keys a unit of work locks, in the one order every store takes them
 * (`account:<e-mail>`, `panel:<id>`, distinct, sorted): two units of work
 * with overlapping scopes take their common keys in the same order, so they
 * cannot deadlock. Stores call this rather than computing keys themselves.
 */
export function lockKeysOf(scope: LockScope): string[] {
  const keys = [
    ...(scope.accounts ?? []).map((email) => `account:${email}`),
    ...(scope.panels ?? []).map((id) => `panel:${id}`),
  ];
  return [...new Set(keys)].sort();
}

/**
 * The storage port. Adapters move plain records; every rule lives in the core.
 * Missing data is `null` (or an empty list), never an error. A rejected
 * promise means an infrastructure failure.
 */
export interface StoragePort {
  /**
   * Runs `work` as one unit of work.
   *
   * Guarantees (proved by `runStorageContract`):
   * - **Isolation**: two units of work whose scopes share an account e-mail or a
   *   panel id never overlap in time: the second starts after the first has
   *   committed or rolled back. This holds across every instance that shares
   *   the store (Postgres: advisory transaction locks). Keys are taken in
   *   sorted order, so overlapping scopes cannot deadlock.
   * - **Atomicity**: if `work` resolves, all its writes are committed together;
   *   if it rejects, none is visible, ever, and the rejection is passed on.
   * - A unit of work with an empty scope takes no lock (read-only work).
   */
  transact<T>(scope: LockScope, work: (tx: StorageTx) => Promise<T>): Promise<T>;
  /**
   * SES-3, optional: the session with this id, its account, every membership
   * of the account and the panels they name, read together as one consistent
   * snapshot, outside any unit of work and without a lock (PostgreSQL: one
   * statement, no BEGIN or COMMIT). `null` when no session has this id, or
   * its account is gone. A store without it is read by the core in a unit
   * of work with an empty scope (three reads, each seeing what was committed
   * when it ran, and more round trips). A store that wraps or subclasses
   * another and changes how `transact` behaves (fails, counts, delays)
   * must do the same to `readSession`, or session checks bypass it.
   */
  readSession?(id: string): Promise<SessionSnapshot | null>;
}

/**
 * What `StoragePort.readSession` answers: everything a session check needs,
 * read at one instant (SES-3). The core decides what is live.
 */
export interface SessionSnapshot {
  readonly session: SessionRecord;
  readonly account: AccountRecord;
  /** Every membership of the account, live or not, in any order. */
  readonly memberships: MembershipRecord[];
  /** The panels those memberships name, in any order. */
  readonly panels: PanelRecord[];
}

/** An account and all its memberships. */
export interface AccountWithMemberships {
  readonly account: AccountRecord;
  readonly memberships: MembershipRecord[];
}

/**
 * Reads and writes inside one unit of work. Records are immutable values.
 * Composed of one interface per kind of record, so a store can be assembled
 * from parts (the contract suite still proves the whole).
 */
export interface StorageTx
  extends AccountsTx,
    PanelsTx,
    MembershipsTx,
    LinksTx,
    SessionsTx,
    TotpStepsTx,
    BackupCodesTx,
    RememberedBrowsersTx,
    MailOutboxTx,
    AuditTx {}

/** Accounts (keyed by id and by normalised e-mail). */
export interface AccountsTx {
  /** The account with this normalised e-mail, or `null`. */
  findAccountByEmail(email: string): Promise<AccountRecord | null>;
  /** The account with this id, or `null`. */
  findAccountById(id: string): Promise<AccountRecord | null>;
  /** The accounts with these ids that exist, in any order. */
  findAccountsByIds(ids: readonly string[]): Promise<AccountRecord[]>;
  /**
   * The account (by id, or by normalised e-mail) with every membership it has,
   * in one lookup: the hot paths (login, the second step, each session check)
   * need both. `null` when there is no such account.
   */
  findAccountWithMemberships(
    key: { readonly id: string } | { readonly email: string },
  ): Promise<AccountWithMemberships | null>;
  /** Rejects if the id or the e-mail is taken. */
  createAccount(account: AccountRecord): Promise<void>;
  /** Replaces the account with the same id (its e-mail never changes). */
  updateAccount(account: AccountRecord): Promise<void>;
}

/** Panels. */
export interface PanelsTx {
  /** The panel with this id, or `null`. */
  findPanel(id: string): Promise<PanelRecord | null>;
  /** The panels with these ids that exist, in any order. */
  findPanels(ids: readonly string[]): Promise<PanelRecord[]>;
  /** Rejects if the id is taken. */
  createPanel(panel: PanelRecord): Promise<void>;
}

/** Memberships: one account's access to one panel. */
export interface MembershipsTx {
  /** The membership of this account in this panel, or `null`. */
  findMembership(accountId: string, panelId: string): Promise<MembershipRecord | null>;
  /** Every membership of the account, in any order. */
  listMembershipsOfAccount(accountId: string): Promise<MembershipRecord[]>;
  /** Every membership of the panel, in any order. */
  listMembershipsOfPanel(panelId: string): Promise<MembershipRecord[]>;
  /** Creates or replaces the membership of (accountId, panelId). */
  putMembership(membership: MembershipRecord): Promise<void>;
  /** Deletes the membership of (accountId, panelId), if there is one. */
  deleteMembership(accountId: string, panelId: string): Promise<void>;
}

/** One-time links: invitations, password resets, login challenges (ACC-4, ACC-8, PWD-3, TFA-12). */
export interface LinksTx {
  /** The one-time link with this id, or `null`. */
  findLink(id: string): Promise<OneTimeLinkRecord | null>;
  /** The link with the highest `sequence` for this account and purpose. */
  findLatestLink(accountId: string, purpose: LinkPurpose): Promise<OneTimeLinkRecord | null>;
  /** PWD-5: how many links of this account and purpose were issued at or after `since`. */
  countLinksIssuedSince(accountId: string, purpose: LinkPurpose, since: DateTime): Promise<number>;
  /**
   * Rejects if the id is taken, or if `sequence > 0` and (accountId, purpose,
   * sequence) is taken: two concurrent issuers of a chained link collide
   * instead of both winning. Sequence 0 (login challenges) is never unique.
   */
  createLink(link: OneTimeLinkRecord): Promise<void>;
  /**
   * Marks the link consumed if, and only if, it is not consumed yet: one
   * guarded write (`UPDATE … WHERE consumed_at IS NULL`). Returns whether this
   * call consumed it. Under concurrent calls exactly one returns `true`, even
   * outside a locked scope.
   */
  consumeLink(id: string, at: DateTime): Promise<boolean>;
  /**
   * Marks every unconsumed link of this account and purpose consumed (login
   * challenges, when a password reset must end them). Returns how many.
   */
  consumeOpenLinks(accountId: string, purpose: LinkPurpose, at: DateTime): Promise<number>;
}

/**
 * What `SessionsTx.touchSession` found (SES-3):
 * - `touched`: the session exists and its last use was at or before the
 *   guard: `lastUsedAt` is now `at`.
 * - `alreadyRecent`: the session exists, but its last use is after the guard
 *   (a concurrent check recorded it first): nothing written.
 * - `gone`: no session with this id (a logout or revocation deleted it,
 *   possibly after the caller read it): nothing written.
 */
export type SessionTouch = "touched" | "alreadyRecent" | "gone";

/** Sessions (SES-1, SES-2, SES-3). */
export interface SessionsTx {
  /** Rejects if the id is taken. */
  createSession(session: SessionRecord): Promise<void>;
  /** The session with this id, or `null`. */
  findSession(id: string): Promise<SessionRecord | null>;
  /**
   * SES-3: sets `lastUsedAt` to `at` if, and only if, the session exists and
   * its `lastUsedAt` is at or before `ifUsedBy`: one guarded write
   * (`UPDATE … WHERE last_used_at <= $ifUsedBy`), and, only when it wrote
   * nothing, a look whether the row still exists. Answers `touched` when it
   * wrote, `alreadyRecent` when the session exists with a later last use,
   * `gone` when no session has this id. Under concurrent calls with the same
   * `at` and `ifUsedBy` (earlier than `at`) exactly one answers `touched`,
   * even outside a locked scope; a session deleted meanwhile stays deleted,
   * and a touch that comes after the deletion committed answers `gone`
   * (never `touched`, never `alreadyRecent`).
   */
  touchSession(id: string, at: DateTime, ifUsedBy: DateTime): Promise<SessionTouch>;
  /** Deletes one session. Returns whether it existed. */
  deleteSession(id: string): Promise<boolean>;
  /** Deletes every session of the account and returns their ids (SES-2). */
  deleteSessionsOfAccount(accountId: string): Promise<string[]>;
}

/** The last accepted TOTP step of each account (TFA-10). */
export interface TotpStepsTx {
  /**
   * TFA-10: records `step` as the account's last accepted TOTP time step if,
   * and only if, it is newer than the one recorded: one guarded write
   * (`UPDATE … WHERE last_step < $step`). Under concurrent calls with the same
   * step exactly one returns `true`, even outside a locked scope.
   */
  acceptTotpStep(accountId: string, step: number): Promise<boolean>;
  /** Forgets the last accepted step (a new secret starts afresh, TFA-8). */
  forgetTotpSteps(accountId: string): Promise<void>;
}

/** Backup codes, stored only as hashes (TFA-5, TFA-6). */
export interface BackupCodesTx {
  /** TFA-6: replaces the account's backup codes with these (an empty list deletes them). */
  replaceBackupCodes(accountId: string, codes: readonly BackupCodeRecord[]): Promise<void>;
  /**
   * TFA-5: marks the unused code with this hash used: one guarded write
   * (`UPDATE … WHERE used_at IS NULL`). Under concurrent calls exactly one
   * returns `true`, even outside a locked scope.
   */
  consumeBackupCode(accountId: string, codeHash: string, at: DateTime): Promise<boolean>;
  /** How many of the account's backup codes are unused (TFA-5). */
  countUnusedBackupCodes(accountId: string): Promise<number>;
}

/** Remembered browsers (TFA-7, TFA-13). */
export interface RememberedBrowsersTx {
  /** Rejects if the id is taken. */
  createRememberedBrowser(browser: RememberedBrowserRecord): Promise<void>;
  /** The remembered browser with this id, or `null`. */
  findRememberedBrowser(id: string): Promise<RememberedBrowserRecord | null>;
  /** Every remembered browser of the account, in any order. */
  listRememberedBrowsers(accountId: string): Promise<RememberedBrowserRecord[]>;
  /** Sets `lastUsedAt` if it still exists. Returns whether it did. */
  touchRememberedBrowser(id: string, at: DateTime): Promise<boolean>;
  /** Returns whether it existed. */
  deleteRememberedBrowser(id: string): Promise<boolean>;
  /** Returns the ids deleted. */
  deleteRememberedBrowsersOfAccount(accountId: string): Promise<string[]>;
}

/** The mail outbox (MAIL-2). */
export interface MailOutboxTx {
  /**
   * MAIL-2: writes a message to the outbox. Called in the unit of work of the
   * state change the message reports, so both commit or neither does.
   * Rejects if the id is taken.
   */
  enqueueMail(message: OutboxMessageRecord): Promise<void>;
  /**
   * MAIL-2: takes up to `limit` pending messages whose `nextAttemptAt` has come
   * and which no live claim holds (`claimedUntil` null or not after `now`),
   * oldest first, and marks them claimed by `claimId` until `until`. Guarded
   * like `consumeLink`: under concurrent calls, even on several instances,
   * each message goes to exactly one claim (Postgres: `FOR UPDATE SKIP LOCKED`).
   * Answers the claimed messages as they are after the claim.
   */
  claimMail(claim: MailClaim): Promise<OutboxMessageRecord[]>;
  /**
   * Records how an attempt ended, if, and only if, the message is still held
   * by `claimId` (a claim that outlived its `until` may have been taken over).
   * `sent` erases the payload; `released` changes nothing but the claim.
   * Releases the claim. Returns whether it did.
   */
  settleMail(id: string, claimId: string, outcome: MailOutcome): Promise<boolean>;
  /**
   * MAIL-2: `settleMail` for many messages at once (PostgreSQL: one
   * statement), each guarded by its own claim id exactly as `settleMail` is:
   * a settlement whose message another claim holds, or which is no longer
   * pending, records nothing. Each message at most once per call. Answers,
   * in the order given, whether each was recorded.
   */
  settleMails(settlements: readonly MailSettlement[]): Promise<boolean[]>;
  /** Puts a `failed` message back to `pending`, due at `at`, with its attempts reset. Returns whether it did. */
  requeueMail(id: string, at: DateTime): Promise<boolean>;
  /** Messages with this status, oldest first, at most `limit`. */
  listMail(status: OutboxStatus, limit: number): Promise<OutboxMessageRecord[]>;
}

/**
 * Which audit events a listing wants (AUD-2). Every filter given must hold;
 * the answer is newest first by (`at`, `id`).
 */
export interface AuditQuery {
  /** Only events about this panel (their `panelId`). */
  readonly panelId?: string;
  /** Only events about this account (their `accountId`). */
  readonly accountId?: string;
  /** Only events at or after this instant. */
  readonly from?: DateTime;
  /** Only events strictly before this instant. */
  readonly to?: DateTime;
  /** Only events of these types (an empty list matches none). */
  readonly types?: readonly DomainEventType[];
  /** Only events after this position in the order, i.e. older: the next page. */
  readonly after?: AuditPosition;
  /** How many at most. */
  readonly limit: number;
}

/** The audit trail (AUD-2): append-only; only a cleanup deletes, by age. */
export interface AuditTx {
  /**
   * AUD-2: appends the events of one unit of work, in one statement, as the
   * last write before it commits: they commit with the change they record, or
   * vanish with it. Rejects if an id is taken.
   */
  appendAuditEvents(records: readonly AuditEventRecord[]): Promise<void>;
  /**
   * AUD-2: the events that match `query`, newest first: by `at` descending,
   * then by `id` descending in code-unit order (PostgreSQL: `COLLATE "C"`),
   * so that events of one instant have a stable order and a page ends at a
   * stable `after`. At most `query.limit`.
   */
  listAuditEvents(query: AuditQuery): Promise<AuditEventRecord[]>;
}
