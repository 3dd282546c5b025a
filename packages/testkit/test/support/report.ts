import { MemoryStore } from "@panel-access/adapter-memory";
import { expect } from "vitest";
import { checkAgainstModel, type ModelCheckReport } from "../../src/index.js";

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

/**
 * Milestones of the version-2 rules that every run of a few hundred
 * histories reaches (each in about 5% of histories or more): a lock whose
 * row of failures spans a correct password (LCK-1 v2), an administrator's
 * 2FA reset refused across organisations and the support team's (TFA-8 v2),
 * the "access granted" notice (ACC-2 v2), and a session check that records
 * nothing, the recorded last use being younger than a minute (SES-3; one that
 * records the use, a clock move later, is rarer and printed, not required).
 */
export const V2_MILESTONES = [
  "LCK-1 v2: locked across a correct password",
  "ResetTwoFactor: TWO_FACTOR_RESET_NEEDS_SUPPORT",
  "ResetTwoFactor: ok",
  "SupportResetTwoFactor: ok",
  "AddMember: notice accessGranted",
  "session: use not recorded (SES-3)",
] as const;

/** Fails unless every milestone was reached by at least one history. */
export function expectReached(report: ModelCheckReport, milestones: readonly string[]): void {
  const missing = milestones.filter((m) => (report.reached.get(m) ?? 0) === 0);
  expect(missing).toEqual([]);
}

/** One half of the memory check: `histories` fresh stores, the report printed, deep milestones required. */
export async function checkMemoryHalf(half: string): Promise<void> {
  const report = await checkAgainstModel({
    createStore: () => new MemoryStore(),
    histories: MEMORY_HISTORIES,
  });
  printReport(`memory, ${half} half`, report);
  expect(report.histories).toBe(MEMORY_HISTORIES);
  // The histories must go deep: to a permanent block and to a login through a remembered browser.
  expectReached(report, ["failure: blocked", "login: done", ...V2_MILESTONES]);
}
