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
import type { SqlClient, SqlDriver } from "./driver.js";
import {
  accountFrom,
  accountParams,
  browserFrom,
  linkFrom,
  MAIL_COLUMNS,
  mailFrom,
  mailParams,
  membershipFrom,
  panelFrom,
  param,
  sessionFrom,
} from "./rows.js";
import { quotedSchema, type SchemaOptions } from "./schema.js";

const ACCOUNT_COLUMNS =
  "id, email, created_at, password_hash, registered_at, consecutive_failures, consecutive_locks, " +
  "locked_at, blocked_at, two_factor_status, sealed_secret, two_factor_since";

/**
 * The storage port on PostgreSQL (through `pg` or PGlite), for many
 * application instances sharing one database.
 *
 * - `transact`: one transaction; the scope's keys are locked first with
 *   `pg_advisory_xact_lock`, one per key in sorted order, so overlapping
 *   scopes serialise across every connection and process and cannot
 *   deadlock. Advisory locks also cover an account that does not exist yet.
 *   Every account-scoped read-modify-write of the core (failure counts,
 *   registration, enrolment) runs under this lock.
 * - One-time consumptions are single statements whose `WHERE` is the guard:
 *   `consumeLink` and `consumeOpenLinks` (`… WHERE consumed_at IS NULL`),
 *   `consumeBackupCode` (`… WHERE used_at IS NULL`), `acceptTotpStep`
 *   (`INSERT … ON CONFLICT DO UPDATE … WHERE last_step < EXCLUDED.last_step`).
 *   Under READ COMMITTED a second caller waits for the first's row lock and
 *   then finds the guard false, so exactly one wins even outside any scope.
 * - The outbox (MAIL-2): `claimMail` is the queue pattern
 *   `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`: concurrent
 *   dispatchers pass over each other's rows; `settleMail` is guarded by the
 *   claim id, so a dispatcher whose claim was taken over records nothing.
 * - Every failure (lost connection, constraint violation) rejects; the
 *   transaction is rolled back and the core answers `STORAGE_FAILED`.
 */
export class PostgresStore implements StoragePort {
  readonly #schema: string;

  constructor(
    private readonly driver: SqlDriver,
    options: SchemaOptions = {},
  ) {
    this.#schema = quotedSchema(options);
  }

  transact<T>(scope: LockScope, work: (tx: StorageTx) => Promise<T>): Promise<T> {
    return this.driver.transaction(async (client) => {
      for (const key of lockKeysOf(scope)) {
        await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
          `${this.#schema}:${key}`,
        ]);
      }
      return work(new PostgresTx(client, this.#schema));
    });
  }
}

class PostgresTx implements StorageTx {
  constructor(
    private readonly client: SqlClient,
    private readonly s: string,
  ) {}

  async #rows(sql: string, params: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
    return (await this.client.query(sql, params)).rows;
  }

  async findAccountByEmail(email: string): Promise<AccountRecord | null> {
    const [row] = await this.#rows(
      `SELECT ${ACCOUNT_COLUMNS} FROM ${this.s}.accounts WHERE email = $1`,
      [email],
    );
    return row ? accountFrom(row) : null;
  }

  async findAccountById(id: string): Promise<AccountRecord | null> {
    const [row] = await this.#rows(
      `SELECT ${ACCOUNT_COLUMNS} FROM ${this.s}.accounts WHERE id = $1`,
      [id],
    );
    return row ? accountFrom(row) : null;
  }

  async findAccountWithMemberships(
    key: { readonly id: string } | { readonly email: string },
  ): Promise<AccountWithMemberships | null> {
    const [column, value] = "id" in key ? ["id", key.id] : ["email", key.email];
    const [row] = await this.#rows(
      `SELECT ${ACCOUNT_COLUMNS}, coalesce(
         (SELECT json_agg(m) FROM ${this.s}.memberships m WHERE m.account_id = a.id), '[]'::json) AS memberships
       FROM ${this.s}.accounts a WHERE a.${column} = $1`,
      [value],
    );
    if (!row) return null;
    return {
      account: accountFrom(row),
      memberships: (row.memberships as Record<string, unknown>[]).map(membershipFrom),
    };
  }

  async findAccountsByIds(ids: readonly string[]): Promise<AccountRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.#rows(
      `SELECT ${ACCOUNT_COLUMNS} FROM ${this.s}.accounts WHERE id = ANY($1::text[])`,
      [[...ids]],
    );
    return rows.map(accountFrom);
  }

  async createAccount(account: AccountRecord): Promise<void> {
    await this.client.query(
      `INSERT INTO ${this.s}.accounts (${ACCOUNT_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
      accountParams(account),
    );
  }

  async updateAccount(account: AccountRecord): Promise<void> {
    const rows = await this.#rows(
      `UPDATE ${this.s}.accounts SET created_at = $3, password_hash = $4, registered_at = $5, consecutive_failures = $6,
         consecutive_locks = $7, locked_at = $8, blocked_at = $9, two_factor_status = $10,
         sealed_secret = $11, two_factor_since = $12
       WHERE id = $1 AND email = $2 RETURNING id`,
      accountParams(account),
    );
    if (rows.length !== 1)
      throw new Error("updateAccount: no such account (or its e-mail changed)");
  }

  async findPanel(id: string): Promise<PanelRecord | null> {
    const [row] = await this.#rows(`SELECT * FROM ${this.s}.panels WHERE id = $1`, [id]);
    return row ? panelFrom(row) : null;
  }

  async findPanels(ids: readonly string[]): Promise<PanelRecord[]> {
    if (ids.length === 0) return [];
    return (
      await this.#rows(`SELECT * FROM ${this.s}.panels WHERE id = ANY($1::text[])`, [[...ids]])
    ).map(panelFrom);
  }

  async createPanel(panel: PanelRecord): Promise<void> {
    await this.client.query(
      `INSERT INTO ${this.s}.panels (id, name, sso_enabled, created_at) VALUES ($1,$2,$3,$4)`,
      [panel.id, panel.name, panel.settings.ssoEnabled, param(panel.createdAt)],
    );
  }

  async findMembership(accountId: string, panelId: string): Promise<MembershipRecord | null> {
    const [row] = await this.#rows(
      `SELECT * FROM ${this.s}.memberships WHERE account_id = $1 AND panel_id = $2`,
      [accountId, panelId],
    );
    return row ? membershipFrom(row) : null;
  }

  async listMembershipsOfAccount(accountId: string): Promise<MembershipRecord[]> {
    return (
      await this.#rows(`SELECT * FROM ${this.s}.memberships WHERE account_id = $1`, [accountId])
    ).map(membershipFrom);
  }

  async listMembershipsOfPanel(panelId: string): Promise<MembershipRecord[]> {
    return (
      await this.#rows(`SELECT * FROM ${this.s}.memberships WHERE panel_id = $1`, [panelId])
    ).map(membershipFrom);
  }

  async putMembership(m: MembershipRecord): Promise<void> {
    await this.client.query(
      `INSERT INTO ${this.s}.memberships (account_id, panel_id, role, access_type, ends_at, granted_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7)
       ON CONFLICT (account_id, panel_id) DO UPDATE SET role = EXCLUDED.role, access_type = EXCLUDED.access_type,
         ends_at = EXCLUDED.ends_at, granted_at = EXCLUDED.granted_at, updated_at = EXCLUDED.updated_at`,
      [
        m.accountId,
        m.panelId,
        m.role,
        m.access.type,
        m.access.type === "temporary" ? param(m.access.endsAt) : null,
        param(m.grantedAt),
        param(m.updatedAt),
      ],
    );
  }

  async deleteMembership(accountId: string, panelId: string): Promise<void> {
    await this.client.query(
      `DELETE FROM ${this.s}.memberships WHERE account_id = $1 AND panel_id = $2`,
      [accountId, panelId],
    );
  }

  async findLink(id: string): Promise<OneTimeLinkRecord | null> {
    const [row] = await this.#rows(`SELECT * FROM ${this.s}.links WHERE id = $1`, [id]);
    return row ? linkFrom(row) : null;
  }

  async findLatestLink(accountId: string, purpose: LinkPurpose): Promise<OneTimeLinkRecord | null> {
    const [row] = await this.#rows(
      `SELECT * FROM ${this.s}.links WHERE account_id = $1 AND purpose = $2 ORDER BY sequence DESC LIMIT 1`,
      [accountId, purpose],
    );
    return row ? linkFrom(row) : null;
  }

  async countLinksIssuedSince(
    accountId: string,
    purpose: LinkPurpose,
    since: DateTime,
  ): Promise<number> {
    const [row] = await this.#rows(
      `SELECT count(*)::int AS n FROM ${this.s}.links WHERE account_id = $1 AND purpose = $2 AND issued_at >= $3`,
      [accountId, purpose, param(since)],
    );
    return Number(row?.n ?? 0);
  }

  async createLink(l: OneTimeLinkRecord): Promise<void> {
    await this.client.query(
      `INSERT INTO ${this.s}.links (id, account_id, purpose, sequence, secret_hash, panel_id, issued_at, expires_at, consumed_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
      [
        l.id,
        l.accountId,
        l.purpose,
        l.sequence,
        l.secretHash,
        l.panelId,
        param(l.issuedAt),
        param(l.expiresAt),
        param(l.consumedAt),
      ],
    );
  }

  async consumeLink(id: string, at: DateTime): Promise<boolean> {
    const rows = await this.#rows(
      `UPDATE ${this.s}.links SET consumed_at = $2 WHERE id = $1 AND consumed_at IS NULL RETURNING id`,
      [id, param(at)],
    );
    return rows.length === 1;
  }

  async consumeOpenLinks(accountId: string, purpose: LinkPurpose, at: DateTime): Promise<number> {
    const rows = await this.#rows(
      `UPDATE ${this.s}.links SET consumed_at = $3
       WHERE account_id = $1 AND purpose = $2 AND consumed_at IS NULL RETURNING id`,
      [accountId, purpose, param(at)],
    );
    return rows.length;
  }

  async createSession(x: SessionRecord): Promise<void> {
    await this.client.query(
      `INSERT INTO ${this.s}.sessions (id, account_id, secret_hash, method, created_at, last_used_at, expires_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [
        x.id,
        x.accountId,
        x.secretHash,
        x.method,
        param(x.createdAt),
        param(x.lastUsedAt),
        param(x.expiresAt),
      ],
    );
  }

  async findSession(id: string): Promise<SessionRecord | null> {
    const [row] = await this.#rows(`SELECT * FROM ${this.s}.sessions WHERE id = $1`, [id]);
    return row ? sessionFrom(row) : null;
  }

  async touchSession(id: string, at: DateTime): Promise<boolean> {
    const rows = await this.#rows(
      `UPDATE ${this.s}.sessions SET last_used_at = $2 WHERE id = $1 RETURNING id`,
      [id, param(at)],
    );
    return rows.length === 1;
  }

  async deleteSession(id: string): Promise<boolean> {
    return (
      (await this.#rows(`DELETE FROM ${this.s}.sessions WHERE id = $1 RETURNING id`, [id]))
        .length === 1
    );
  }

  async deleteSessionsOfAccount(accountId: string): Promise<string[]> {
    const rows = await this.#rows(
      `DELETE FROM ${this.s}.sessions WHERE account_id = $1 RETURNING id`,
      [accountId],
    );
    return rows.map((r) => String(r.id));
  }

  async acceptTotpStep(accountId: string, step: number): Promise<boolean> {
    const rows = await this.#rows(
      `INSERT INTO ${this.s}.totp_steps (account_id, last_step) VALUES ($1, $2)
       ON CONFLICT (account_id) DO UPDATE SET last_step = EXCLUDED.last_step
       WHERE ${this.s}.totp_steps.last_step < EXCLUDED.last_step
       RETURNING account_id`,
      [accountId, step],
    );
    return rows.length === 1;
  }

  async forgetTotpSteps(accountId: string): Promise<void> {
    await this.client.query(`DELETE FROM ${this.s}.totp_steps WHERE account_id = $1`, [accountId]);
  }

  async replaceBackupCodes(accountId: string, codes: readonly BackupCodeRecord[]): Promise<void> {
    await this.client.query(`DELETE FROM ${this.s}.backup_codes WHERE account_id = $1`, [
      accountId,
    ]);
    if (codes.some((c) => c.accountId !== accountId))
      throw new Error("backup code of another account");
    if (codes.length === 0) return;
    await this.client.query(
      `INSERT INTO ${this.s}.backup_codes (account_id, code_hash, created_at, used_at)
       SELECT $1, hash, created, used FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[]) AS c(hash, created, used)`,
      [
        accountId,
        codes.map((c) => c.codeHash),
        codes.map((c) => param(c.createdAt)),
        codes.map((c) => param(c.usedAt)),
      ],
    );
  }

  async consumeBackupCode(accountId: string, codeHash: string, at: DateTime): Promise<boolean> {
    const rows = await this.#rows(
      `UPDATE ${this.s}.backup_codes SET used_at = $3
       WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING code_hash`,
      [accountId, codeHash, param(at)],
    );
    return rows.length === 1;
  }

  async countUnusedBackupCodes(accountId: string): Promise<number> {
    const [row] = await this.#rows(
      `SELECT count(*)::int AS unused FROM ${this.s}.backup_codes WHERE account_id = $1 AND used_at IS NULL`,
      [accountId],
    );
    return Number(row?.unused ?? 0);
  }

  async createRememberedBrowser(b: RememberedBrowserRecord): Promise<void> {
    await this.client.query(
      `INSERT INTO ${this.s}.remembered_browsers (id, account_id, secret_hash, label, created_at, last_used_at, expires_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [
        b.id,
        b.accountId,
        b.secretHash,
        b.label,
        param(b.createdAt),
        param(b.lastUsedAt),
        param(b.expiresAt),
      ],
    );
  }

  async findRememberedBrowser(id: string): Promise<RememberedBrowserRecord | null> {
    const [row] = await this.#rows(`SELECT * FROM ${this.s}.remembered_browsers WHERE id = $1`, [
      id,
    ]);
    return row ? browserFrom(row) : null;
  }

  async listRememberedBrowsers(accountId: string): Promise<RememberedBrowserRecord[]> {
    return (
      await this.#rows(`SELECT * FROM ${this.s}.remembered_browsers WHERE account_id = $1`, [
        accountId,
      ])
    ).map(browserFrom);
  }

  async touchRememberedBrowser(id: string, at: DateTime): Promise<boolean> {
    const rows = await this.#rows(
      `UPDATE ${this.s}.remembered_browsers SET last_used_at = $2 WHERE id = $1 RETURNING id`,
      [id, param(at)],
    );
    return rows.length === 1;
  }

  async deleteRememberedBrowser(id: string): Promise<boolean> {
    const rows = await this.#rows(
      `DELETE FROM ${this.s}.remembered_browsers WHERE id = $1 RETURNING id`,
      [id],
    );
    return rows.length === 1;
  }

  async deleteRememberedBrowsersOfAccount(accountId: string): Promise<string[]> {
    const rows = await this.#rows(
      `DELETE FROM ${this.s}.remembered_browsers WHERE account_id = $1 RETURNING id`,
      [accountId],
    );
    return rows.map((r) => String(r.id));
  }

  async enqueueMail(message: OutboxMessageRecord): Promise<void> {
    await this.#rows(
      `INSERT INTO ${this.s}.mail_outbox (${MAIL_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      mailParams(message),
    );
  }

  async claimMail(claim: MailClaim): Promise<OutboxMessageRecord[]> {
    const rows = await this.#rows(
      `UPDATE ${this.s}.mail_outbox SET claimed_until = $2, claim_id = $3
       WHERE id IN (
         SELECT id FROM ${this.s}.mail_outbox
         WHERE status = 'pending' AND next_attempt_at <= $1
           AND (claimed_until IS NULL OR claimed_until <= $1)
           AND ($5::text[] IS NULL OR id = ANY($5::text[]))
         ORDER BY created_at, id
         LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING ${MAIL_COLUMNS}`,
      [param(claim.now), param(claim.until), claim.claimId, claim.limit, claim.ids ?? null],
    );
    return rows
      .map(mailFrom)
      .sort((a, b) => a.createdAt.toMillis() - b.createdAt.toMillis() || a.id.localeCompare(b.id));
  }

  async settleMail(id: string, claimId: string, outcome: MailOutcome): Promise<boolean> {
    const rows =
      outcome.status === "sent"
        ? await this.#rows(
            `UPDATE ${this.s}.mail_outbox
             SET status = 'sent', sent_at = $3, payload = NULL, attempts = attempts + 1,
                 claimed_until = NULL, claim_id = NULL
             WHERE id = $1 AND claim_id = $2 AND status = 'pending' RETURNING id`,
            [id, claimId, param(outcome.at)],
          )
        : await this.#rows(
            `UPDATE ${this.s}.mail_outbox
             SET status = $3, attempts = $4, next_attempt_at = $5, last_error = $6,
                 claimed_until = NULL, claim_id = NULL
             WHERE id = $1 AND claim_id = $2 AND status = 'pending' RETURNING id`,
            [
              id,
              claimId,
              outcome.status,
              outcome.attempts,
              param(outcome.nextAttemptAt),
              outcome.lastError,
            ],
          );
    return rows.length === 1;
  }

  async requeueMail(id: string, at: DateTime): Promise<boolean> {
    const rows = await this.#rows(
      `UPDATE ${this.s}.mail_outbox SET status = 'pending', attempts = 0, next_attempt_at = $2
       WHERE id = $1 AND status = 'failed' RETURNING id`,
      [id, param(at)],
    );
    return rows.length === 1;
  }

  async listMail(status: OutboxStatus, limit: number): Promise<OutboxMessageRecord[]> {
    const rows = await this.#rows(
      `SELECT ${MAIL_COLUMNS} FROM ${this.s}.mail_outbox WHERE status = $1
       ORDER BY created_at, id LIMIT $2`,
      [status, limit],
    );
    return rows.map(mailFrom);
  }
}
