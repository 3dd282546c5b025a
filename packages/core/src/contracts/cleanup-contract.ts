import { describe } from "vitest";
import { runAuditCleanupContract } from "./cleanup-contract/audit.js";
import { runExpiryCleanupContract } from "./cleanup-contract/expiries.js";
import { runLinkCleanupContract } from "./cleanup-contract/links.js";
import { runCleanupReportContract } from "./cleanup-contract/report.js";
import type { CleanupFactory } from "./cleanup-contract/subject.js";

export type { CleanupFactory, CleanupSubject } from "./cleanup-contract/subject.js";

/**
 * What every store's cleanup deletes and keeps, the same on every adapter:
 * `cleanup(driver, options)` on PostgreSQL, `MemoryStore.cleanup(options)`.
 * Call it at the top level of a vitest test file.
 */
export function runCleanupContract(name: string, factory: CleanupFactory): void {
  describe(`cleanup contract: ${name}`, () => {
    runLinkCleanupContract(factory);
    runExpiryCleanupContract(factory);
    runCleanupReportContract(factory);
    runAuditCleanupContract(factory);
  });
}
