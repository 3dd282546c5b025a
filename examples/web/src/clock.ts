import type { Clock } from "@panel-access/core";
import { DateTime } from "luxon";

/**
 * The system clock plus an offset that test mode can move forward (to let
 * temporary access run out in a browser test). Outside test mode nothing
 * moves it.
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
