import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { afterFailedAttempt } from "../../src/domain/outbox.js";

describe("MAIL-2: the outbox", () => {
  it("MAIL-2: retries wait 1, 2, 4… minutes, never more than the cap, and stop after maxAttempts", () => {
    const now = DateTime.fromISO("2026-01-05T09:00:00Z", { zone: "utc" });
    const policy = { maxAttempts: 8, firstDelayMs: 60_000, maxDelayMs: 3_600_000 };
    const waits = [1, 2, 3, 4, 5, 6, 7].map(
      (n) => afterFailedAttempt(n, now, policy).nextAttemptAt.toMillis() - now.toMillis(),
    );
    expect(waits.map((ms) => ms / 60_000)).toEqual([1, 2, 4, 8, 16, 32, 60]);
    expect(afterFailedAttempt(7, now, policy).status).toBe("pending");
    expect(afterFailedAttempt(8, now, policy).status).toBe("failed");
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 100 }),
        (attempts, max) => {
          const p = { maxAttempts: max, firstDelayMs: 1000, maxDelayMs: 600_000 };
          const wait =
            afterFailedAttempt(attempts, now, p).nextAttemptAt.toMillis() - now.toMillis();
          const next =
            afterFailedAttempt(attempts + 1, now, p).nextAttemptAt.toMillis() - now.toMillis();
          expect(wait).toBeGreaterThanOrEqual(1000);
          expect(wait).toBeLessThanOrEqual(600_000);
          expect(next).toBeGreaterThanOrEqual(wait);
          expect(afterFailedAttempt(attempts, now, p).status).toBe(
            attempts >= max ? "failed" : "pending",
          );
        },
      ),
    );
  });
});
