import type { DateTime } from "luxon";

/** The only source of time in the library. */
export interface Clock {
  now(): DateTime;
}
