/**
 * Committed rows of one kind, keyed by id, with secondary indexes (as a
 * database has) so that lookups by account, e-mail or panel do not scan.
 */
export class Table<V> {
  readonly rows = new Map<string, V>();
  readonly #indexes = new Map<
    string,
    { keyOf: (row: V) => string; ids: Map<string, Set<string>> }
  >();

  /** @param indexes index name → the key a row is filed under */
  constructor(indexes: Record<string, (row: V) => string> = {}) {
    for (const [name, keyOf] of Object.entries(indexes))
      this.#indexes.set(name, { keyOf, ids: new Map() });
  }

  keyOf(index: string, row: V): string {
    return this.#index(index).keyOf(row);
  }

  /** Ids of the committed rows filed under `key` in `index`. */
  idsBy(index: string, key: string): ReadonlySet<string> {
    return this.#index(index).ids.get(key) ?? new Set();
  }

  set(id: string, row: V): void {
    this.delete(id);
    this.rows.set(id, row);
    for (const { keyOf, ids } of this.#indexes.values()) {
      const key = keyOf(row);
      const set = ids.get(key) ?? new Set<string>();
      set.add(id);
      ids.set(key, set);
    }
  }

  delete(id: string): void {
    const old = this.rows.get(id);
    if (old === undefined) return;
    this.rows.delete(id);
    for (const { keyOf, ids } of this.#indexes.values()) {
      const key = keyOf(old);
      const set = ids.get(key);
      set?.delete(id);
      if (set?.size === 0) ids.delete(key);
    }
  }

  #index(name: string) {
    const index = this.#indexes.get(name);
    if (index === undefined) throw new Error(`no index ${name}`);
    return index;
  }
}
