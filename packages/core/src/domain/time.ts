import { DateTime, type Duration } from "luxon";

const millisOf = new WeakMap<Duration, number>();

/**
 * `instant + duration` as exact elapsed time: "7 days" is 7 × 24 h (RULES.md,
 * Terms), whatever daylight-saving or calendar the zone has. Also far cheaper
 * than luxon's calendar arithmetic on the login path.
 */
export function addDuration(instant: DateTime, duration: Duration): DateTime {
  let millis = millisOf.get(duration);
  if (millis === undefined) {
    millis = duration.toMillis();
    millisOf.set(duration, millis);
  }
  return DateTime.fromMillis(instant.toMillis() + millis, { zone: instant.zone });
}
