import { firstAfter, type Table } from "./table.js";

const REMOVED = Symbol("removed");

/**
 * A transaction's view of one table: reads see the committed rows plus this
 * transaction's own writes; the writes reach the table only on `commit`.
 */
export class Overlay<V> {
  readonly #writes = new Map<string, V | typeof REMOVED>();

  constructor(private readonly table: Table<V>) {}

  get(id: string): V | undefined {
    const written = this.#writes.get(id);
    if (written === REMOVED) return undefined;
    return written ?? this.table.rows.get(id);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  set(id: string, row: V): void {
    this.#writes.set(id, row);
  }

  delete(id: string): void {
    this.#writes.set(id, REMOVED);
  }

  /** The visible rows filed under `key` in the table's `index`. */
  *by(index: string, key: string): IterableIterator<V> {
    for (const id of this.table.idsBy(index, key)) {
      const row = this.table.rows.get(id);
      if (!this.#writes.has(id) && row !== undefined) yield row;
    }
    for (const written of this.#writes.values()) {
      if (written !== REMOVED && this.table.keyOf(index, written) === key) yield written;
    }
  }

  /** Every visible row. */
  *all(): IterableIterator<V> {
    for (const [id, row] of this.table.rows) if (!this.#writes.has(id)) yield row;
    for (const written of this.#writes.values()) if (written !== REMOVED) yield written;
  }

  /**
   * The visible rows of the table's sorted list `key`, last to first in its
   * ordering, from the last row that `within` accepts: `within` holds for
   * a first part of the list (the rows older than a cursor, say), so the
   * start is found by a binary search and nothing is sorted but this
   * transaction's own writes.
   */
  *descending(key: string, within: (row: V) => boolean): IterableIterator<V> {
    const { ordering } = this.table;
    if (ordering === undefined) throw new Error("the table has no sorted lists");
    const committed = this.table.sorted(key);
    const written = [...this.#writes.values()]
      .filter((row): row is V => row !== REMOVED && ordering.keysOf(row).includes(key))
      .filter(within)
      .sort((a, b) => ordering.compare(b, a));
    let next = 0;
    for (let i = firstAfter(committed, (entry) => within(entry.row)) - 1; i >= 0; i--) {
      const entry = committed[i];
      if (entry === undefined || this.#writes.has(entry.id)) continue;
      for (; next < written.length && ordering.compare(written[next] as V, entry.row) > 0; next++)
        yield written[next] as V;
      yield entry.row;
    }
    yield* written.slice(next);
  }

  commit(): void {
    const removed: string[] = [];
    for (const [id, row] of this.#writes) {
      if (row === REMOVED) removed.push(id);
      else this.table.set(id, row);
    }
    this.table.deleteMany(removed);
  }
}
