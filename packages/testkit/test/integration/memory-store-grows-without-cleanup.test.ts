import { describe, expect, it } from "vitest";
import { flatnessChecks } from "../support/growth.js";
import { runMixedOperations } from "../support/mixed-operations.js";

/**
 * Issue 15, the contrast to memory-store-flat-with-cleanup.test.ts: its
 * checks, on the same calls without a cleanup, fail, so they would catch a
 * store, or a kind of record, that its cleanup forgot. The first 20,000 of
 * its 50,000 calls are enough and keep the two files within a minute:
 * without a cleanup the store grows from the first call on, and 20,000
 * calls (about 69 simulated days) already outlast the longest-lived record
 * (37 days) and the other run's warm-up.
 */
const CALLS = 20_000;
/** The interval the run with cleanup uses, for the steady-state bound it would allow. */
const CLEANUP_EVERY = 500;

describe("the memory store under a long mixed load, without cleanup", () => {
  it(`cleanup (the contrast): the same calls without a cleanup, ${CALLS} of them, grow past every check: each kind cleaned and the sum peak more than 1.2 × higher in the second half, and the sum ends above the steady-state bound`, async () => {
    const report = await runMixedOperations({ calls: CALLS, cleanupEvery: null });
    const checks = flatnessChecks(report, CLEANUP_EVERY);
    for (const check of checks) expect(check.peak, check.what).toBeGreaterThan(check.allowed);
  }, 120_000);
});
