import { MemoryStore } from "@panel-access/adapter-memory";
import { expect } from "vitest";
import { checkAgainstModel, type ModelCheckReport } from "../src/index.js";

/** Prints how much a model check ran and which milestones of the rules its histories reached. */
export function printReport(where: string, report: ModelCheckReport): void {
  console.log(
    `model check (${where}): ${report.histories} histories, ${report.commands} commands; milestones reached (in how many histories):\n` +
      [...report.reached]
        .sort()
        .map(([milestone, n]) => `  ${String(n).padStart(7)}  ${milestone}`)
        .join("\n"),
  );
}

/**
 * CI runs 10,000 histories on memory, as two files of 5,000 (one per core);
 * `pnpm verify:deep` 100 times more.
 */
export const MEMORY_HISTORIES = Number(process.env.MODEL_HISTORIES_MEMORY ?? 5000);

/** One half of the memory check: `histories` fresh stores, the report printed, deep milestones required. */
export async function checkMemoryHalf(half: string): Promise<void> {
  const report = await checkAgainstModel({
    createStore: () => new MemoryStore(),
    histories: MEMORY_HISTORIES,
  });
  printReport(`memory, ${half} half`, report);
  expect(report.histories).toBe(MEMORY_HISTORIES);
  // The histories must go deep: to a permanent block and to a login through a remembered browser.
  expect(report.reached.get("failure: blocked") ?? 0).toBeGreaterThan(0);
  expect(report.reached.get("login: done") ?? 0).toBeGreaterThan(0);
}
