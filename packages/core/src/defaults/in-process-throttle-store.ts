import { type DateTime, Duration } from "luxon";
import { decayed } from "../domain/throttle.js";
import type { ThrottleChange, ThrottleStore } from "../ports/throttle.js";

/** A counter below this has decayed to nothing and is forgotten. */
const NEGLIGIBLE = 0.01;

/**
 * LCK-9: throttle counters in this process's memory, the default when the
 * host passes no `throttle` store. Right for one instance (and for tests: it
 * decays on the clock port's time, so tests move it). Several instances
 * need a shared store (PostgreSQL or Redis), or each counts on its own.
 *
 * Memory is bounded: at most `maxKeys` counters (default 100,000); past
 * that, decayed ones are swept, then the least recently changed go first.
 * JavaScript runs one `add` at a time, so every change is atomic.
 */
export class InProcessThrottleStore implements ThrottleStore {
  readonly #counters = new Map<string, { value: number; at: number }>();
  readonly #maxKeys: number;

  /** @param options.maxKeys How many counters to keep at most. @default 100_000 */
  constructor(options: { readonly maxKeys?: number } = {}) {
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  async add(changes: readonly ThrottleChange[], now: DateTime): Promise<number[]> {
    const at = now.toMillis();
    const values = changes.map(({ key, amount, halfLife }) => {
      const counter = this.#counters.get(key);
      const before = counter ? decayed(counter.value, counter.at, at, halfLife) : 0;
      const value = Math.max(0, before + amount);
      this.#counters.delete(key); // re-inserted last: the Map's order is least recently changed first
      if (value >= NEGLIGIBLE) this.#counters.set(key, { value, at });
      return value;
    });
    if (this.#counters.size > this.#maxKeys) this.#evict(at, changes);
    return values;
  }

  async clear(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.#counters.delete(key);
  }

  /** How many counters are kept (for tests of the bound). */
  get size(): number {
    return this.#counters.size;
  }

  #evict(now: number, changes: readonly ThrottleChange[]): void {
    // Sweep what has decayed (by the longest half-life of this call: a safe guess for all).
    const longest = Math.max(...changes.map((c) => c.halfLife.toMillis()));
    const halfLife = Duration.fromMillis(longest);
    for (const [key, counter] of this.#counters) {
      if (decayed(counter.value, counter.at, now, halfLife) < NEGLIGIBLE)
        this.#counters.delete(key);
    }
    for (const key of this.#counters.keys()) {
      if (this.#counters.size <= this.#maxKeys) break;
      this.#counters.delete(key);
    }
  }
}
