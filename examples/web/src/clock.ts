import type { Clock } from "@panel-access/core";
import { DateTime } from "luxon";

/**
 * The system clock plus an offset that development mode can move forward
 * (`POST /__test/clock`, to let temporary access run out in a browser test).
 * Outside development mode nothing moves it.
 */
export class OffsetClock implements Clock {
  #offsetMs = 0;

  now(): DateTime {
    return DateTime.utc().plus({ milliseconds: this.#offsetMs });
  }

  /** Moves the clock forward by `ms`; answers the new time. */
  advance(ms: number): DateTime {
    this.#offsetMs += ms;
    return this.now();
  }
}
