import type { DateTime } from "luxon";

/** The only source of time in the library. */
export interface Clock {
  /** The current instant, in UTC. */
  now(): DateTime;
}
