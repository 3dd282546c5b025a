import { DateTime } from "luxon";
import type { Clock } from "../ports/clock.js";

/** The wall clock, in UTC. The default `Clock`. */
export const systemClock: Clock = {
  now: () => DateTime.utc(),
};
