import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  checkRulesBook,
  definedRuleIds,
  rulesMarkedUnproved,
  testTitles,
} from "../../../scripts/check-rules-lib.js";
import { readTestSources } from "../../../scripts/test-sources.js";

/**
 * `pnpm rules` (scripts/check-rules.ts): docs/rules.md defines each rule ID once, and the
 * tests name the IDs they prove in their titles. The check's core is the pure
 * `checkRulesBook`, tested here on planted texts and on the repository itself.
 */
const root = fileURLToPath(new URL("../../../", import.meta.url));

/** A small rule book: two rules, one test file naming both. */
const BOOK = [
  "# Rules",
  "",
  "### ACC-1",
  "",
  "Adding a person.",
  "",
  "### ACC-2b",
  "",
  "x",
  "",
].join("\n");
const q = (title: string) => JSON.stringify(title);
const TESTS = {
  "packages/core/test/a.test.ts": `describe(${q("ACC-1 and ACC-2b")}, () => { it(${q("ACC-2b: y")}, () => {}); });`,
};

describe("docs/rules.md and the test titles (pnpm rules)", () => {
  it("docs/rules.md: the rule IDs defined are those opening a heading, not those mentioned in a statement", () => {
    expect(definedRuleIds(`${BOOK}\nSee ACC-3 and PNL-1.\n## Mail (MAIL)\n`)).toEqual([
      "ACC-1",
      "ACC-2b",
    ]);
  });

  it("docs/rules.md: a book and tests that agree pass the check", () => {
    const report = checkRulesBook(BOOK, TESTS);
    expect(report.undefinedIds).toEqual([]);
    expect(report.untestedIds).toEqual([]);
    expect(report.testsById.get("ACC-2b")).toEqual(["packages/core/test/a.test.ts"]);
  });

  it("docs/rules.md: a test naming an ID the rule book does not define fails the check", () => {
    const planted = `it(${q("ACC-99: a rule nobody wrote down")}, () => {});`;
    const report = checkRulesBook(BOOK, {
      ...TESTS,
      "examples/web/test/planted.test.ts": planted,
    });
    expect(report.undefinedIds).toEqual(["ACC-99"]);
    expect(report.testsById.get("ACC-99")).toEqual(["examples/web/test/planted.test.ts"]);
  });

  it("docs/rules.md: a rule no test title names fails the check, and so does an ID only in a comment or a string", () => {
    const report = checkRulesBook(`${BOOK}\n### PNL-6\n`, {
      ...TESTS,
      "packages/testkit/test/b.test.ts": [
        "// PNL-6: the last administrator stays",
        `const text = ${q(`it("PNL-6: planted in a string")`)};`,
        `it(${q("the last administrator stays")}, () => {});`,
      ].join("\n"),
    });
    expect(report.untestedIds).toEqual(["PNL-6"]);
  });

  it("docs/rules.md: titles are read from it/test/describe, their .each/.runIf forms and concatenations, in test folders and contract suites only", () => {
    const source = [
      `it.each([1, 2] as const)(${q("MAIL-1: %s")}, () => {});`,
      `describe.runIf(process.env.X === "1")(${q("LCK-9 on a server")}, () => {});`,
      `test(\n  ${q("TFA-5: once, ")} +\n    ${q("also at once (TFA-10)")},\n  async () => {},\n);`,
      `it(\`SES-1: \${n} sessions\`, () => {});`,
      "const ratio = total / it.length; // not a regular expression",
      `expect(x).toMatch(/it("'/);`,
    ].join("\n");
    expect(testTitles(source)).toEqual([
      "MAIL-1: %s",
      "LCK-9 on a server",
      "TFA-5: once, also at once (TFA-10)",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the title's raw text
      "SES-1: ${n} sessions",
    ]);
    const report = checkRulesBook("", {
      "packages/core/src/testing/suite.ts": source,
      "packages/core/src/login/login.ts": `it(${q("ACC-1: not a test folder")}, () => {});`,
      "docs/rules.md": `it(${q("ACC-1: not a test")}, () => {});`,
    });
    expect([...report.testsById.keys()].sort()).toEqual([
      "LCK-9",
      "MAIL-1",
      "SES-1",
      "TFA-10",
      "TFA-5",
    ]);
  });

  it("docs/rules.md: a test file the rule book names as proof must exist (a moved file fails the check)", () => {
    const book = `${BOOK}\nProved by: \`packages/core/src/testing/gone.ts\`, \`packages/testkit/test/b.test.ts\`.\n`;
    const report = checkRulesBook(book, {
      ...TESTS,
      "packages/testkit/test/b.test.ts": `it(${q("ACC-1: here")}, () => {});`,
    });
    expect(report.missingPaths).toEqual(["packages/core/src/testing/gone.ts"]);
  });

  it("docs/rules.md: a rule is marked not yet proved by a paragraph under its own heading", () => {
    const book = `${BOOK}\n### PNL-6\n\n**Not yet proved by a test.** Nothing names it.\n`;
    expect(rulesMarkedUnproved(book)).toEqual(["PNL-6"]);
    expect(rulesMarkedUnproved(BOOK)).toEqual([]);
  });

  it("docs/rules.md: the repository's tests name every rule the rule book defines (SES-3, the last one, included) and only those, and none is marked not yet proved", () => {
    const rules = readFileSync(`${root}docs/rules.md`, "utf8");
    const report = checkRulesBook(rules, readTestSources(root));
    expect(report.definedIds.length).toBeGreaterThanOrEqual(56);
    expect(report.undefinedIds).toEqual([]);
    expect(report.untestedIds).toEqual([]);
    expect(report.testsById.get("SES-3")).toContain(
      "packages/testkit/test/rules/sessions/last-use.test.ts",
    );
    expect(rulesMarkedUnproved(rules)).toEqual([]);
  });
});
