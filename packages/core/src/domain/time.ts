import { DateTime, type Duration } from "luxon";

const millisCache = new WeakMap<Duration, number>();

/**
 * `duration.toMillis()`, computed once per `Duration` object: the options'
 * durations (half-lives, timeouts, validities) are read on every login, and
 * luxon's conversion is not free there.
 */
export function millisOf(duration: Duration): number {
  let millis = millisCache.get(duration);
  if (millis === undefined) {
    millis = duration.toMillis();
    millisCache.set(duration, millis);
  }
  return millis;
}

/**
 * `instant + duration` as exact elapsed time: "7 days" is 7 × 24 h (RULES.md,
 * Terms), whatever daylight-saving or calendar the zone has. Also far cheaper
 * than luxon's calendar arithmetic on the login path.
 */
export function addDuration(instant: DateTime, duration: Duration): DateTime {
  return DateTime.fromMillis(instant.toMillis() + millisOf(duration), { zone: instant.zone });
}

/** Earliest instant accepted anywhere: year 1, so every timestamp is storable in any database. */
export const EARLIEST_INSTANT = DateTime.fromISO("0001-01-01T00:00:00.000Z", { zone: "utc" });
/** Latest instant accepted anywhere: the end of year 9999. */
export const LATEST_INSTANT = DateTime.fromISO("9999-12-31T23:59:59.999Z", { zone: "utc" });

/** Whether `instant` is valid and between `EARLIEST_INSTANT` and `LATEST_INSTANT` (INP-1). */
export function isStorableInstant(instant: DateTime): boolean {
  return instant.isValid && instant >= EARLIEST_INSTANT && instant <= LATEST_INSTANT;
}
