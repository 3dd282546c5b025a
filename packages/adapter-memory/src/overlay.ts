const REMOVED = Symbol("removed");

/**
 * A transaction's view of one table: reads see the committed rows plus this
 * transaction's own writes; the writes reach the table only on `commit`.
 */
export class Overlay<V> {
  readonly #writes = new Map<string, V | typeof REMOVED>();

  constructor(private readonly committed: Map<string, V>) {}

  get(key: string): V | undefined {
    const written = this.#writes.get(key);
    if (written === REMOVED) return undefined;
    return written ?? this.committed.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V): void {
    this.#writes.set(key, value);
  }

  delete(key: string): void {
    this.#writes.set(key, REMOVED);
  }

  /** Every visible row. */
  *values(): IterableIterator<V> {
    for (const [key, value] of this.committed) {
      if (!this.#writes.has(key)) yield value;
    }
    for (const value of this.#writes.values()) {
      if (value !== REMOVED) yield value;
    }
  }

  commit(): void {
    for (const [key, value] of this.#writes) {
      if (value === REMOVED) this.committed.delete(key);
      else this.committed.set(key, value);
    }
  }
}
