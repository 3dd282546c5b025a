/**
 * `pnpm rules`: docs/rules.md and the tests agree. Every rule ID the rule book defines is
 * named in the title of at least one test, and every rule ID a test title names is defined
 * there, and every test file it names as proof exists. Fails (exit 1) naming the IDs (or
 * files) otherwise. `--list` also prints, for each rule, the
 * files whose tests name it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkRulesBook } from "./check-rules-lib.js";
import { readTestSources } from "./test-sources.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const report = checkRulesBook(
  readFileSync(join(root, "docs/rules.md"), "utf8"),
  readTestSources(root),
);

if (process.argv.includes("--list")) {
  for (const [id, paths] of report.testsById) console.log(`${id}: ${paths.join(", ")}`);
}

if (report.untestedIds.length > 0) {
  console.error(
    "docs/rules.md defines rules that no test title names (name the ID in an it(…) or " +
      `describe(…) title of the test that proves it): ${report.untestedIds.join(", ")}`,
  );
}
for (const id of report.undefinedIds) {
  const paths = report.testsById.get(id) ?? [];
  console.error(`${id} is named by tests but not defined in docs/rules.md: ${paths.join(", ")}`);
}
for (const path of report.missingPaths) {
  console.error(`docs/rules.md names ${path} as proof, and there is no such test file`);
}
if (
  report.untestedIds.length > 0 ||
  report.undefinedIds.length > 0 ||
  report.missingPaths.length > 0
) {
  const named = report.definedIds.length - report.untestedIds.length;
  console.error(
    `${report.definedIds.length} rules, ${named} named by a test; ` +
      `${report.undefinedIds.length} unknown IDs`,
  );
  process.exit(1);
}
console.log(
  `${report.definedIds.length} rules, each named by a test; ${report.undefinedIds.length} unknown IDs`,
);
