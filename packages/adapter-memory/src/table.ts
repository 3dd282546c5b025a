/**
 * Lists of rows kept in one order, as a database's ordered index keeps its
 * entries, so that reading a page in that order never sorts the rows.
 */
export interface Ordering<V> {
  /** The keys of the lists a row is filed in. */
  readonly keysOf: (row: V) => readonly string[];
  /** The order of every list, first to last (negative: `a` comes first). */
  readonly compare: (a: V, b: V) => number;
}

/** One row of a sorted list, with its id. */
export interface Sorted<V> {
  readonly id: string;
  readonly row: V;
}

const NO_ROWS: readonly never[] = [];

/**
 * Committed rows of one kind, keyed by id, with secondary indexes (as a
 * database has) so that lookups by account, e-mail or panel do not scan,
 * and optionally sorted lists (`Ordering`) for reading in order.
 */
export class Table<V> {
  readonly rows = new Map<string, V>();
  readonly #indexes = new Map<
    string,
    { keyOf: (row: V) => string; ids: Map<string, Set<string>> }
  >();
  readonly #lists = new Map<string, Sorted<V>[]>();

  /**
   * @param indexes index name → the key a row is filed under
   * @param ordering the sorted lists each row is also filed in
   */
  constructor(
    indexes: Record<string, (row: V) => string> = {},
    readonly ordering?: Ordering<V>,
  ) {
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

  /** The committed rows of the sorted list `key`, first to last in the ordering. */
  sorted(key: string): readonly Sorted<V>[] {
    return this.#lists.get(key) ?? NO_ROWS;
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
    if (this.ordering === undefined) return;
    const { keysOf, compare } = this.ordering;
    for (const key of keysOf(row)) {
      const list = this.#lists.get(key) ?? [];
      // After every row that does not come later: appending the latest is a push.
      list.splice(
        firstAfter(list, (entry) => compare(entry.row, row) <= 0),
        0,
        { id, row },
      );
      this.#lists.set(key, list);
    }
  }

  delete(id: string): void {
    this.deleteMany([id]);
  }

  /** Deletes these rows; each sorted list they were in is rebuilt once, however many go. */
  deleteMany(ids: Iterable<string>): void {
    const gone = new Map<string, Set<string>>();
    for (const id of ids) {
      const old = this.rows.get(id);
      if (old === undefined) continue;
      this.rows.delete(id);
      for (const { keyOf, ids: byKey } of this.#indexes.values()) {
        const key = keyOf(old);
        const set = byKey.get(key);
        set?.delete(id);
        if (set?.size === 0) byKey.delete(key);
      }
      for (const key of this.ordering?.keysOf(old) ?? []) {
        gone.set(key, (gone.get(key) ?? new Set()).add(id));
      }
    }
    for (const [key, goneIds] of gone) {
      const left = (this.#lists.get(key) ?? []).filter((entry) => !goneIds.has(entry.id));
      if (left.length === 0) this.#lists.delete(key);
      else this.#lists.set(key, left);
    }
  }

  #index(name: string) {
    const index = this.#indexes.get(name);
    if (index === undefined) throw new Error(`no index ${name}`);
    return index;
  }
}

/**
 * The position of the first entry of `list` for which `before` is false,
 * given that it holds for a prefix of the list (a binary search).
 */
export function firstAfter<T>(list: readonly T[], before: (entry: T) => boolean): number {
  let [low, high] = [0, list.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (before(list[middle] as T)) low = middle + 1;
    else high = middle;
  }
  return low;
}
