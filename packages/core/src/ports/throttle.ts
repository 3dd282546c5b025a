import type { DateTime, Duration } from "luxon";

/** One change to one throttle counter. */
export interface ThrottleChange {
  /** An opaque key (the core hashes e-mail addresses into it). */
  readonly key: string;
  /** +1 for an attempt; -1 to give one back (a success). The count never goes below 0. */
  readonly amount: number;
  /** How long the counter takes to halve (LCK-9: a sliding window that decays). */
  readonly halfLife: Duration;
}

/**
 * LCK-9: where throttle counters live: `@panel-access/adapter-memory` (one
 * instance), `@panel-access/adapter-postgres` and `@panel-access/adapter-redis`
 * (shared by every instance). A counter's value decays: it halves every
 * `halfLife` since it last changed.
 *
 * Both methods must be atomic per key under concurrency: N parallel `add`s
 * of +1 to one key answer N different counts, and the last is N higher than
 * the first value (the throttle contract suite proves it).
 */
export interface ThrottleStore {
  /**
   * Decays each counter to `now`, adds its `amount` (never below 0) and
   * answers the new values, in the order of `changes`.
   */
  add(changes: readonly ThrottleChange[], now: DateTime): Promise<number[]>;
  /** Forgets these counters (a completed login forgets its e-mail-and-address counter). */
  clear(keys: readonly string[]): Promise<void>;
}
