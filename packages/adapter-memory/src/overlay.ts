import type { Table } from "./table.js";

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

  commit(): void {
    for (const [id, row] of this.#writes) {
      if (row === REMOVED) this.table.delete(id);
      else this.table.set(id, row);
    }
  }
}
