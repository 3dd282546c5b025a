import { DateTime, Duration, type DurationLike } from "luxon";
import type { Clock } from "../../ports/clock.js";

/** The default start: a fixed, readable instant. */
export const DEFAULT_START = DateTime.fromISO("2026-01-05T09:00:00.000Z", { zone: "utc" });

/** A clock that moves only when told to. Time in tests moves through this, never by sleeping. */
export class ManualClock implements Clock {
  #now: DateTime;

  /** @param start the first `now()`. @default 2026-01-05T09:00:00Z */
  constructor(start: DateTime = DEFAULT_START) {
    this.#now = start.toUTC();
  }

  /** The instant the clock was set or moved to. */
  now(): DateTime {
    return this.#now;
  }

  /** Moves forward (or back, with a negative duration) by `by`, e.g. `{ days: 3 }`. */
  advance(by: DurationLike): DateTime {
    this.#now = this.#now.plus(Duration.fromDurationLike(by));
    return this.#now;
  }

  /** Jumps to `instant`. */
  set(instant: DateTime): DateTime {
    this.#now = instant.toUTC();
    return this.#now;
  }
}
