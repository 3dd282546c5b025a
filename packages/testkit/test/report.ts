import type { ModelCheckReport } from "../src/index.js";

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
