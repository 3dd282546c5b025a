import { describe, expect, it } from "vitest";
import { flatnessChecks } from "../support/growth.js";
import { runMixedOperations } from "../support/mixed-operations.js";

/**
 * Issue 15: a long-running process on the memory store stays flat when it
 * runs the store's cleanup. The contrast, the same calls without a cleanup
 * growing past these checks, is memory-store-grows-without-cleanup.test.ts
 * (a file of its own, which vitest can run beside this one).
 */
const CALLS = 50_000;
/** A cleanup after every this many calls: about 40 simulated hours. */
const CLEANUP_EVERY = 500;

describe("the memory store under a long mixed load, with cleanup", () => {
  it(`cleanup: over ${CALLS} mixed calls with store.cleanup every ${CLEANUP_EVERY}, once warm the record count stops growing: the second half's peak is within 1.2 × the first half's, for each kind cleaned and in all, and under the steady-state bound`, async () => {
    const report = await runMixedOperations({ calls: CALLS, cleanupEvery: CLEANUP_EVERY });
    const checks = flatnessChecks(report, CLEANUP_EVERY);
    for (const check of checks) expect(check.peak, check.what).toBeLessThanOrEqual(check.allowed);
  }, 120_000);
});
