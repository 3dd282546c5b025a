import type { Duration } from "luxon";

/**
 * LCK-9, LCK-7 v2, PWD-2 v2: a request the library refused before checking
 * anything. What the page says and the HTTP status. The text depends only on
 * the kind of refusal and the wait, never on the e-mail: the library answers
 * a known and an unknown e-mail alike, and so does the page.
 */
export interface Refusal {
  readonly status: 429 | 503;
  readonly message: string;
  /** For the `Retry-After` header, in whole seconds (429 only). */
  readonly retryAfterSeconds?: number;
}

/** The refusal behind a library error, or `undefined` when the error is another one. */
export function refusalOf(error: {
  readonly type: string;
  readonly retryAfter?: Duration;
}): Refusal | undefined {
  switch (error.type) {
    case "TOO_MANY_ATTEMPTS": {
      const seconds = Math.max(1, Math.ceil((error.retryAfter?.toMillis() ?? 1000) / 1000));
      return {
        status: 429,
        message: `Too many attempts. Try again in ${waitText(seconds)}.`,
        retryAfterSeconds: seconds,
      };
    }
    case "THROTTLE_UNAVAILABLE":
      return {
        status: 503,
        message: "We cannot check this request right now. Please try again in a few minutes.",
      };
    case "BUSY":
      return {
        status: 503,
        message: "We are handling many requests right now. Please try again in a minute.",
      };
    default:
      return undefined;
  }
}

/** "1 second", "45 seconds", "5 minutes", "3 hours": rounded up, so nobody is told to come back too early. */
export function waitText(seconds: number): string {
  if (seconds < 60) return count(seconds, "second");
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return count(minutes, "minute");
  return count(Math.ceil(minutes / 60), "hour");
}

const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
