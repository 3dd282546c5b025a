import type { ThrottleChange, ThrottleStore } from "@panel-access/core";
import type { DateTime } from "luxon";
import type { SqlDriver } from "./driver.js";
import { param } from "./rows.js";
import { quotedSchema, type SchemaOptions } from "./schema.js";

/**
 * SQL for a counter decayed to `now`: `value` halves every `halfLifeMs` since
 * `since`; no time passes while `now` is before `since` (another instance's
 * clock ahead of this one's). Exactly 0 past 64 half-lives or below 1e-100:
 * PostgreSQL raises "value out of range: underflow" on a float8 result that
 * rounds to 0 rather than answering 0.
 */
export function decayedSql(value: string, since: string, now: string, halfLifeMs: string): string {
  const halvings = `greatest(0::float8, extract(epoch from (${now} - ${since}))::float8 * 1000 / ${halfLifeMs})`;
  return `(CASE WHEN ${value} < 1e-100::float8 OR ${halvings} >= 64 THEN 0::float8
    ELSE ${value} * power(2::float8, -${halvings}) END)`;
}

/**
 * LCK-9: throttle counters in PostgreSQL (table `throttle_counters`, created
 * by `migrate()`), shared by every application instance on the database:
 * pass it as the core's `throttleStore` port on every instance (each over
 * its own pool, the same schema).
 *
 * `add` is one statement per call (an upsert of every key: `INSERT … ON
 * CONFLICT (key) DO UPDATE`), so each counter's decay and change happen
 * under its row lock: parallel adds to one key, from any connection or
 * process, wait for each other and each answers another value; none is lost.
 * Time is the caller's `now` (the core's clock port), never the database's.
 * Keys are locked in sorted order, so calls touching the same keys in
 * different orders cannot deadlock.
 *
 * Counters stay until `cleanup()` deletes those that have decayed below 0.01
 * (each row holds its half-life for that).
 */
export class PostgresThrottleStore implements ThrottleStore {
  readonly #driver: SqlDriver;
  readonly #add: string;
  readonly #clear: string;

  /**
   * @param driver `pgDriver(pool)`, or `pgliteDriver(db)` of `@panel-access/adapter-postgres/pglite`.
   * @param options.schema The schema `migrate()` created. @default "panel_access"
   */
  constructor(driver: SqlDriver, options: SchemaOptions = {}) {
    this.#driver = driver;
    const s = quotedSchema(options);
    const amountOf = "(SELECT c.amount FROM c WHERE c.key = t.key)";
    // The CTE is read by the SET's subquery too: EXCLUDED.value has lost the sign of the amount.
    // ORDER BY: the rows are inserted, and so locked, in key order: "C", the column's collation,
    // the order `clear` locks in too (unnest's keys would otherwise sort by the database's).
    // `settings`: this transaction commits without waiting for the WAL flush (a crash may
    // lose the last fraction of a second of counts, never make one wrong), in the same
    // statement, so a count costs one round trip and no disk wait before the answer.
    this.#add = `WITH settings AS (SELECT set_config('synchronous_commit', 'off', true) AS applied),
      c (key, amount, half_life_ms) AS (
        SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[]))
      INSERT INTO ${s}.throttle_counters AS t (key, value, half_life_ms, updated_at)
      SELECT c.key, greatest(0::float8, c.amount), c.half_life_ms, $4::timestamptz
        FROM c CROSS JOIN settings ORDER BY c.key COLLATE "C"
      ON CONFLICT (key) DO UPDATE SET
        value = greatest(0::float8,
          ${decayedSql("t.value", "t.updated_at", "EXCLUDED.updated_at", "EXCLUDED.half_life_ms")}
          + ${amountOf}),
        half_life_ms = EXCLUDED.half_life_ms,
        updated_at = greatest(t.updated_at, EXCLUDED.updated_at)
      RETURNING t.key, t.value`;
    this.#clear = `DELETE FROM ${s}.throttle_counters WHERE key IN (
        SELECT key FROM ${s}.throttle_counters WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE)`;
  }

  async add(changes: readonly ThrottleChange[], now: DateTime): Promise<number[]> {
    if (changes.length === 0) return [];
    const halfLives = changes.map(({ halfLife }) => halfLife.toMillis());
    for (const [i, { amount }] of changes.entries()) {
      if (!Number.isFinite(amount)) throw new RangeError(`throttle amount ${amount} is not finite`);
      const halfLife = halfLives[i] ?? Number.NaN;
      if (!(halfLife > 0 && Number.isFinite(halfLife)))
        throw new RangeError(`throttle half-life of ${halfLife} ms is not positive`);
    }
    const values: number[] = new Array(changes.length).fill(0);
    const all = rounds(changes);
    const single = this.#driver.statement?.bind(this.#driver);
    const [only] = all;
    if (all.length === 1 && only !== undefined && single !== undefined) {
      // No key twice: one statement is its own transaction (one round trip, no BEGIN/COMMIT).
      await this.#round(changes, halfLives, now, only, values, (sql, params) =>
        single(sql, params),
      );
      return values;
    }
    return this.#driver.transaction(async (client) => {
      for (const round of all) {
        await this.#round(changes, halfLives, now, round, values, (sql, params) =>
          client.query(sql, params),
        );
      }
      return values;
    });
  }

  /** One upsert of the changes at `round`'s indices; their new values go into `values`. */
  async #round(
    changes: readonly ThrottleChange[],
    halfLives: readonly number[],
    now: DateTime,
    round: readonly number[],
    values: number[],
    query: (
      sql: string,
      params: readonly unknown[],
    ) => Promise<{ rows: Record<string, unknown>[] }>,
  ): Promise<void> {
    const { rows } = await query(this.#add, [
      round.map((i) => changes[i]?.key),
      round.map((i) => changes[i]?.amount),
      round.map((i) => halfLives[i]),
      param(now),
    ]);
    const byKey = new Map(rows.map((row) => [String(row.key), Number(row.value)]));
    for (const i of round) {
      const value = byKey.get(changes[i]?.key ?? "");
      if (value === undefined) throw new Error("throttle upsert answered no row for a key");
      values[i] = value;
    }
  }

  async clear(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#driver.transaction((client) => client.query(this.#clear, [[...new Set(keys)]]));
  }
}

/**
 * The changes' indices in rounds of distinct keys: round r holds the r-th
 * change of each key, so one upsert never meets a key twice (PostgreSQL
 * refuses that) and a key changed twice in a call is changed in the caller's
 * order. Every key is locked by the first round; later rounds lock nothing
 * new, so the sorted lock order holds.
 */
function rounds(changes: readonly ThrottleChange[]): number[][] {
  const seen = new Map<string, number>();
  const result: number[][] = [];
  for (const [i, { key }] of changes.entries()) {
    const r = seen.get(key) ?? 0;
    seen.set(key, r + 1);
    const round = result[r] ?? [];
    round.push(i);
    result[r] = round;
  }
  return result;
}
