import { Duration } from "luxon";
import { millisOf } from "./time.js";

/**
 * LCK-9: one throttle bucket's rule. Its count is a sliding window that
 * decays smoothly: each failure adds 1, and the count halves every
 * `halfLife`. Past `limit` the call is refused until the count has decayed
 * below it again, so the wait grows with every further failure and shrinks
 * with time.
 */
export interface ThrottleLimit {
  /** The count (decayed) at which calls are refused. */
  readonly limit: number;
  /** How long the count takes to halve. */
  readonly halfLife: Duration;
}

/** The count `value`, last changed at `since` (ms), decayed to `now` (ms). */
export function decayed(value: number, since: number, now: number, halfLife: Duration): number {
  const elapsed = Math.max(0, now - since);
  return value * 2 ** (-elapsed / millisOf(halfLife));
}

/**
 * LCK-9: how long until `count` has decayed so far that one more attempt
 * fits under `limit` again (count ≤ limit − 1); at least one second, so a
 * caller is never told to retry at once. A caller that waits this long is
 * admitted.
 */
export function waitUntilBelow(count: number, rule: ThrottleLimit): Duration {
  const room = Math.max(rule.limit - 1, Number.MIN_VALUE);
  const halfLives = Math.log2(count / room);
  const ms = Math.max(1000, Math.ceil(Math.max(0, halfLives) * rule.halfLife.toMillis()) + 1);
  return Duration.fromMillis(ms);
}
