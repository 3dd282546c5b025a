/**
 * The rule book's check, as pure functions over text (no file system): which rule IDs
 * docs/rules.md defines, which IDs the repository's test titles name, and where the two
 * disagree. scripts/check-rules.ts reads the files and calls `checkRulesBook`;
 * packages/testkit/test/rules-book.test.ts tests it.
 */

/** The rule families; an ID is a family, a hyphen, digits and an optional letter (ACC-2b). */
export const RULE_FAMILIES = ["ACC", "PNL", "LCK", "PWD", "TFA", "SES", "MAIL", "AUD", "INP"];

/** Every rule ID in a text (global: use with matchAll). */
const RULE_ID = new RegExp(`\\b(?:${RULE_FAMILIES.join("|")})-\\d+[a-z]?\\b`, "g");

/** The rule IDs a text names, in order of first appearance, each once. */
export function ruleIdsIn(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(RULE_ID), (match) => match[0]))];
}

/**
 * The rule IDs docs/rules.md defines: those that open a heading (`### ACC-1 …`). An ID
 * mentioned in a rule's statement or in prose is a reference, not a definition.
 */
export function definedRuleIds(rulesText: string): string[] {
  const ids: string[] = [];
  for (const line of rulesText.split("\n")) {
    const heading = /^#{2,6}\s+(\S+)/.exec(line);
    const id = heading?.[1] === undefined ? undefined : ruleIdsIn(heading[1])[0];
    if (id !== undefined && heading?.[1] === id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** What docs/rules.md writes under a rule that no test proves yet. */
export const NOT_YET_PROVED = "Not yet proved by a test";

/**
 * The rules docs/rules.md itself marks as not yet proved by a test: the IDs whose section
 * (from its heading to the next heading) says so.
 */
export function rulesMarkedUnproved(rulesText: string): string[] {
  const ids: string[] = [];
  let current: string | undefined;
  for (const line of rulesText.split("\n")) {
    if (/^#{1,6}\s/.test(line)) current = definedRuleIds(line)[0];
    else if (current !== undefined && line.includes(NOT_YET_PROVED) && !ids.includes(current)) {
      ids.push(current);
    }
  }
  return ids;
}

/** Does this repository path hold tests: a package's or example's test/, or a contract suite? */
export function isTestSource(path: string): boolean {
  return (
    /^(packages|examples)\/[^/]+\/test\/.+\.tsx?$/.test(path) ||
    /^packages\/core\/src\/(testing|contracts)\/.+\.ts$/.test(path)
  );
}

/** Modifiers of it/test/describe that take their own arguments before the test's: `it.each(rows)("…")`. */
const FACTORIES = new Set(["each", "for", "runIf", "skipIf"]);
const IDENTIFIER = /[A-Za-z0-9_$]/;

/**
 * The titles of the tests and suites a TypeScript source declares: the first argument of
 * `it(…)`, `test(…)` and `describe(…)` (also `.each(…)(…)`, `.runIf(…)(…)`, `.skip(…)`), when it
 * is a string literal or a concatenation of them. Comments, strings and regular expressions are
 * skipped, so a call written inside a string is not a test.
 */
export function testTitles(source: string): string[] {
  const titles: string[] = [];
  const scanner = new Scanner(source);
  while (scanner.pos < source.length) {
    const char = source[scanner.pos] ?? "";
    if (scanner.skipTrivia() || scanner.skipLiteral()) continue;
    if (IDENTIFIER.test(char)) {
      const start = scanner.pos;
      const word = scanner.identifier();
      const before = scanner.significantBefore(start);
      if ((word === "it" || word === "test" || word === "describe") && before !== ".") {
        const title = scanner.titleOfCall();
        if (title !== undefined) titles.push(title);
        scanner.pos = start + word.length;
      }
      scanner.last = "a";
      continue;
    }
    scanner.last = char;
    scanner.pos++;
  }
  return titles;
}

/** A cursor over TypeScript source that knows enough to skip comments and literals. */
class Scanner {
  pos = 0;
  /** The last significant character passed ("a" for an identifier): tells a regex from a division. */
  last = "";
  constructor(private readonly source: string) {}

  private at(offset = 0): string {
    return this.source[this.pos + offset] ?? "";
  }

  significantBefore(index: number): string {
    let i = index - 1;
    while (i >= 0 && /\s/.test(this.source[i] ?? "")) i--;
    return this.source[i] ?? "";
  }

  identifier(): string {
    const start = this.pos;
    while (this.pos < this.source.length && IDENTIFIER.test(this.at())) this.pos++;
    return this.source.slice(start, this.pos);
  }

  /** Skips whitespace and comments; true when it moved. */
  skipTrivia(): boolean {
    const start = this.pos;
    for (;;) {
      if (/\s/.test(this.at())) this.pos++;
      else if (this.at() === "/" && this.at(1) === "/") {
        const end = this.source.indexOf("\n", this.pos);
        this.pos = end === -1 ? this.source.length : end;
      } else if (this.at() === "/" && this.at(1) === "*") {
        const end = this.source.indexOf("*/", this.pos + 2);
        this.pos = end === -1 ? this.source.length : end + 2;
      } else break;
    }
    return this.pos > start;
  }

  /** Skips a string, template or regular expression literal; true when it moved. */
  skipLiteral(): boolean {
    const char = this.at();
    if (char === '"' || char === "'" || char === "`") {
      this.readString();
      this.last = "a";
      return true;
    }
    if (char === "/" && (this.last === "" || /[(,=:[!&|?{};+\-*%<>~^]/.test(this.last))) {
      this.pos++;
      let inClass = false;
      while (this.pos < this.source.length && this.at() !== "\n") {
        const c = this.at();
        if (c === "\\") this.pos++;
        else if (c === "[") inClass = true;
        else if (c === "]") inClass = false;
        else if (c === "/" && !inClass) break;
        this.pos++;
      }
      this.pos++;
      while (IDENTIFIER.test(this.at())) this.pos++; // flags
      this.last = "a";
      return true;
    }
    return false;
  }

  /** Reads the string or template literal at the cursor; answers its text (escapes kept). */
  readString(): string {
    const quote = this.at();
    const start = ++this.pos;
    while (this.pos < this.source.length && this.at() !== quote) {
      if (this.at() === "\\") this.pos += 2;
      else if (quote === "`" && this.at() === "$" && this.at(1) === "{") {
        this.pos += 1;
        this.skipGroup();
      } else this.pos++;
    }
    const text = this.source.slice(start, this.pos);
    this.pos++;
    return text;
  }

  /** At an opening bracket: skips to just after its match. */
  skipGroup(): void {
    let depth = 0;
    while (this.pos < this.source.length) {
      if (this.skipTrivia() || this.skipLiteral()) continue;
      const char = this.at();
      if (char === "(" || char === "[" || char === "{") depth++;
      else if (char === ")" || char === "]" || char === "}") depth--;
      this.last = IDENTIFIER.test(char) ? "a" : char;
      this.pos++;
      if (depth === 0) return;
    }
  }

  /** Just after `it`/`test`/`describe`: the title of the call, if this is one with a literal title. */
  titleOfCall(): string | undefined {
    for (;;) {
      this.skipTrivia();
      if (this.at() === ".") {
        this.pos++;
        this.skipTrivia();
        const modifier = this.identifier();
        if (modifier === "") return undefined;
        this.skipTrivia();
        if (FACTORIES.has(modifier) && this.at() === "(") this.skipGroup();
        else if (FACTORIES.has(modifier) && this.at() === "`") this.readString();
        continue;
      }
      if (this.at() !== "(") return undefined;
      this.pos++;
      let title: string | undefined;
      for (;;) {
        this.skipTrivia();
        const quote = this.at();
        if (quote !== '"' && quote !== "'" && quote !== "`") return title;
        title = (title ?? "") + this.readString();
        this.skipTrivia();
        if (this.at() !== "+") return title;
        this.pos++;
      }
    }
  }
}

/** What the check answers. */
export interface RulesBookReport {
  /** The IDs docs/rules.md defines, in its order. */
  definedIds: string[];
  /** For every ID a test title names: the files whose titles name it, sorted. */
  testsById: Map<string, string[]>;
  /** IDs named by a test title that docs/rules.md does not define, each with its files. */
  undefinedIds: string[];
  /** IDs docs/rules.md defines that no test title names. */
  untestedIds: string[];
  /** Test files docs/rules.md names as proof (in backquotes) that are not among the test sources. */
  missingPaths: string[];
}

/**
 * Checks the rule book against the tests: `rulesText` is docs/rules.md, `files` maps each
 * repository path to its text (paths that are not test sources are ignored).
 */
export function checkRulesBook(
  rulesText: string,
  files: ReadonlyMap<string, string> | Record<string, string>,
): RulesBookReport {
  const definedIds = definedRuleIds(rulesText);
  const testsById = new Map<string, string[]>();
  const entries = files instanceof Map ? [...files.entries()] : Object.entries(files);
  for (const [path, text] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    if (!isTestSource(path)) continue;
    for (const id of ruleIdsIn(testTitles(text).join("\n"))) {
      const paths = testsById.get(id) ?? [];
      if (!paths.includes(path)) paths.push(path);
      testsById.set(id, paths);
    }
  }
  const defined = new Set(definedIds);
  const present = new Set(entries.map(([path]) => path));
  const named = [...rulesText.matchAll(/`((?:packages|examples)\/[^`\s]+\.tsx?)`/g)].map(
    (match) => match[1] ?? "",
  );
  return {
    definedIds,
    testsById,
    missingPaths: [...new Set(named)].filter((path) => !present.has(path)).sort(),
    undefinedIds: [...testsById.keys()].filter((id) => !defined.has(id)).sort(compareIds),
    untestedIds: definedIds.filter((id) => !testsById.has(id)),
  };
}

/** Orders rule IDs by family, then number, then suffix: ACC-2, ACC-2b, ACC-10. */
export function compareIds(a: string, b: string): number {
  const [familyA = "", restA = ""] = a.split("-");
  const [familyB = "", restB = ""] = b.split("-");
  if (familyA !== familyB) return familyA.localeCompare(familyB);
  const numberA = Number.parseInt(restA, 10);
  const numberB = Number.parseInt(restB, 10);
  return numberA !== numberB ? numberA - numberB : restA.localeCompare(restB);
}
