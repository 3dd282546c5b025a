import {
  type LockScope,
  lockKeysOf,
  type SessionSnapshot,
  type StoragePort,
  type StorageTx,
} from "@panel-access/core";
import type { SqlClient, SqlDriver } from "./driver.js";
import { quotedSchema, type SchemaOptions } from "./schema.js";
import { accountsTx } from "./store/accounts.js";
import { auditTx } from "./store/audit.js";
import { backupCodesTx } from "./store/backup-codes.js";
import { linksTx } from "./store/links.js";
import { mailOutboxTx } from "./store/mail-outbox.js";
import { membershipsTx } from "./store/memberships.js";
import { panelsTx } from "./store/panels.js";
import { rememberedBrowsersTx } from "./store/remembered-browsers.js";
import { readSessionSnapshot, sessionSnapshotSql } from "./store/session-snapshot.js";
import { sessionsTx } from "./store/sessions.js";
import { totpStepsTx } from "./store/totp-steps.js";
import { type BatchingClient, writeBatch } from "./store/write-batch.js";

/**
 * The storage port on PostgreSQL (through `pg` or PGlite), for many
 * application instances sharing one database.
 *
 * - `transact`: one transaction; the scope's keys are locked first with
 *   `pg_advisory_xact_lock`, one per key in sorted order, sent with the
 *   BEGIN in one round trip (each key's text in hex digits, see
 *   `advisoryKeySql`), so overlapping scopes serialise across every
 *   connection and process and cannot deadlock. Advisory locks also cover
 *   an account that does not exist yet.
 * - `readSession` (SES-3): one statement, outside any transaction.
 *   Every account-scoped read-modify-write of the core (failure counts,
 *   registration, enrolment) runs under this lock.
 * - One-time consumptions are single statements whose `WHERE` is the guard:
 *   `consumeLink` and `consumeOpenLinks` (`… WHERE consumed_at IS NULL`),
 *   `consumeBackupCode` (`… WHERE used_at IS NULL`), `acceptTotpStep`
 *   (`INSERT … ON CONFLICT DO UPDATE … WHERE last_step < EXCLUDED.last_step`),
 *   `touchSession` (SES-3: `… WHERE last_used_at <= $ifUsedBy`, then, only
 *   when it wrote nothing, a look whether the row exists: `gone` or
 *   `alreadyRecent`).
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

  readonly #sessionSnapshotSql: string;

  constructor(
    private readonly driver: SqlDriver,
    options: SchemaOptions = {},
  ) {
    this.#schema = quotedSchema(options);
    this.#sessionSnapshotSql = sessionSnapshotSql(this.#schema);
  }

  transact<T>(scope: LockScope, work: (tx: StorageTx) => Promise<T>): Promise<T> {
    const prelude = lockKeysOf(scope)
      .map((key) => `SELECT pg_advisory_xact_lock(${advisoryKeySql(`${this.#schema}:${key}`)})`)
      .join("; ");
    const run = async (client: SqlClient) => {
      const batch = writeBatch(client);
      const value = await work(postgresTx(batch, this.#schema));
      await batch.flush();
      return value;
    };
    if (prelude === "") return this.driver.transaction(run);
    if (this.driver.transactionWith) return this.driver.transactionWith(prelude, run);
    return this.driver.transaction(async (client) => {
      await client.exec(prelude);
      return run(client);
    });
  }

  /**
   * SES-3: the session, its account, memberships and panels in one
   * statement: one snapshot, one round trip, no transaction, no lock.
   */
  readSession(id: string): Promise<SessionSnapshot | null> {
    const { driver } = this;
    const { statement } = driver;
    const run = statement
      ? (sql: string, params: readonly unknown[]) => statement.call(driver, sql, params)
      : (sql: string, params: readonly unknown[]) =>
          driver.transaction((client) => client.query(sql, params));
    return readSessionSnapshot(run, this.#sessionSnapshotSql, id);
  }
}

/**
 * The advisory lock key of a unit of work's key, as SQL without a
 * parameter: `hashtextextended(key, 0)`, the same 64-bit key every version
 * of the adapter takes (instances of several versions exclude each other),
 * with the key's text spelled in hex digits (`decode('…', 'hex')`), so that
 * it travels with the BEGIN in one simple query and no character of an
 * e-mail is ever spliced into SQL as text.
 */
export function advisoryKeySql(key: string): string {
  const hex = Buffer.from(key, "utf8").toString("hex");
  return `hashtextextended(convert_from(decode('${hex}', 'hex'), 'UTF8'), 0)`;
}

/** One transaction's reads and writes: each kind of record's statements, on its connection. */
function postgresTx(client: BatchingClient, schema: string): StorageTx {
  return {
    ...accountsTx(client, schema),
    ...panelsTx(client, schema),
    ...membershipsTx(client, schema),
    ...linksTx(client, schema),
    ...sessionsTx(client, schema),
    ...totpStepsTx(client, schema),
    ...backupCodesTx(client, schema),
    ...rememberedBrowsersTx(client, schema),
    ...mailOutboxTx(client, schema),
    ...auditTx(client, schema),
  };
}
