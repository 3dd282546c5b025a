import type { DateTime, Duration } from "luxon";
import { decayed } from "../domain/throttle.js";
import type { ThrottleChange, ThrottleStore } from "../ports/throttle.js";

/** A counter below this has decayed to nothing and is forgotten. */
const NEGLIGIBLE = 0.01;

/** One counter: its value when it last changed, at `at` (ms). */
interface Counter {
  readonly value: number;
  readonly at: number;
  readonly halfLife: Duration;
}

/**
 * LCK-9: throttle counters in this process's memory, the default when the
 * host passes no `throttle` store. Right for one instance (and for tests: it
 * decays on the clock port's time, so tests move it). Several instances
 * need a shared store (PostgreSQL or Redis), or each counts on its own.
 *
 * Memory is bounded: at most `maxKeys` counters (default 100,000); past
 * that, the least recently changed go first (decayed ones before others, a
 * bounded number looked at per call). Refused attempts give their counts
 * back, so they leave no counter behind to crowd others out.
 * JavaScript runs one `add` at a time, so every change is atomic.
 */
export class InProcessThrottleStore implements ThrottleStore {
  readonly #counters = new Map<string, Counter>();
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
      // A clock that steps back never gives a counter extra decay.
      const since = counter ? Math.max(counter.at, at) : at;
      if (value >= NEGLIGIBLE) this.#counters.set(key, { value, at: since, halfLife });
      return value;
    });
    if (this.#counters.size > this.#maxKeys) this.#evict(at);
    return values;
  }

  async clear(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.#counters.delete(key);
  }

  /**
   * Forgets every counter decayed below 0.01 at `now`, each by its own
   * half-life (what PostgreSQL's `cleanup()` deletes); answers how many.
   * Between calls the store still keeps to `maxKeys`. `MemoryStore.cleanup`
   * calls it when given this store.
   */
  forgetDecayed(now: DateTime): number {
    const at = now.toMillis();
    let forgotten = 0;
    for (const [key, counter] of this.#counters) {
      if (isNegligible(counter, at)) {
        this.#counters.delete(key);
        forgotten += 1;
      }
    }
    return forgotten;
  }

  /** How many counters are kept (for tests of the bound). */
  get size(): number {
    return this.#counters.size;
  }

  /**
   * Over the bound: looks at most `SWEEP` of the least recently changed
   * counters (each by its own half-life), drops those decayed to nothing, and
   * if that freed no room, the least recently changed one. Bounded work per
   * call, whatever the number of counters.
   */
  #evict(now: number): void {
    let looked = 0;
    for (const [key, counter] of this.#counters) {
      if (looked++ >= SWEEP || this.#counters.size <= this.#maxKeys) break;
      if (isNegligible(counter, now)) this.#counters.delete(key);
    }
    for (const key of this.#counters.keys()) {
      if (this.#counters.size <= this.#maxKeys) break;
      this.#counters.delete(key);
    }
  }
}

/** Whether a counter has decayed to nothing at `now` (ms), by its own half-life. */
function isNegligible(counter: Counter, now: number): boolean {
  return decayed(counter.value, counter.at, now, counter.halfLife) < NEGLIGIBLE;
}

/** How many counters one eviction looks at, at most. */
const SWEEP = 64;
