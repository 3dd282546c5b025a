import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

/**
 * scripts/consumer-smoke/extract-docs.mjs: the consumer smoke test compiles every TypeScript
 * block of the docs, each in a module of its own, with what a `<!-- given: … -->` comment
 * declares (docs/installing.md). Here: what it writes, and that it refuses what it cannot place,
 * naming the file and line; the compiling itself is the smoke test's.
 */
const root = fileURLToPath(new URL("../../../", import.meta.url));
const extractor = join(root, "scripts/consumer-smoke/extract-docs.mjs");

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A repository of the given Markdown files, and the extractor run on it. */
function extract(files: Record<string, string>) {
  const repo = mkdtempSync(join(tmpdir(), "docs-blocks-"));
  folders.push(repo);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(repo, path, ".."), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  const out = join(repo, "out");
  const run = spawnSync(process.execPath, [extractor, repo, out], { encoding: "utf8" });
  const modules = run.status === 0 ? readdirSync(out).filter((name) => name.endsWith(".ts")) : [];
  const read = (name: string) => readFileSync(join(out, name), "utf8");
  return { ...run, out, modules, read };
}

const fence = (language: string, ...code: string[]) =>
  [`\`\`\`${language}`, ...code, "```"].join("\n");

describe("the docs' code blocks (scripts/consumer-smoke/extract-docs.mjs)", () => {
  it("the repository's docs: every block is placed, the README's install block as written", () => {
    const run = spawnSync(process.execPath, [extractor, root, join(mkdtempOut(), "docs")], {
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const readme = readFileSync(join(root, "README.md"), "utf8").split("\n");
    const install = readme.findIndex((line) => line.startsWith("const pool = new pg.Pool"));
    let opening = install;
    while (opening > 0 && !readme[opening]?.startsWith("```ts")) opening -= 1;
    expect(install).toBeGreaterThan(0);
    expect(readme[opening - 1]).not.toMatch(/-->\s*$/);
  });

  it("writes each TypeScript block to <file>-<n>.ts with its given before it and export {} after", () => {
    const run = extract({
      "README.md": [
        "# App",
        "<!-- given:",
        'import type { PanelAccess } from "@panel-access/core";',
        "declare const panelAccess: PanelAccess;",
        "-->",
        fence("ts", "await panelAccess.settled();"),
        fence("sh", "npm install"),
        fence("typescript", "const a = 1;"),
      ].join("\n"),
      "docs/mail.md": fence("js", "const b = 2;"),
      "packages/core/README.md": fence("text", "a diagram"),
    });
    expect(run.stderr).toBe("");
    expect(run.modules.sort()).toEqual(["mail-1.ts", "readme-1.ts", "readme-2.ts"]);
    const first = run.read("readme-1.ts");
    expect(first).toContain(
      'import type { PanelAccess } from "@panel-access/core";\ndeclare const panelAccess: PanelAccess;\n// the block:\nawait panelAccess.settled();\n',
    );
    expect(first.trimEnd().endsWith("export {};")).toBe(true);
    expect(run.read("readme-2.ts")).not.toContain("panelAccess");
    expect(run.stdout).toContain(
      "3 code blocks from 2 files (2 as written, 1 with what their prose gives)",
    );
  });

  it("leaves out a block marked not checked, with its reason, and keeps the numbering", () => {
    const run = extract({
      "docs/a.md": [
        "<!-- not checked: shows the misspelt option the library refuses -->",
        fence("ts", "wrong();"),
        fence("ts", "const right = 1;"),
      ].join("\n"),
    });
    expect(run.status).toBe(0);
    expect(run.modules).toEqual(["a-2.ts"]);
    expect(run.stdout).toContain("docs/a.md:2: shows the misspelt option the library refuses");
  });

  it("refuses, naming file and line, what it cannot place", () => {
    const run = extract({
      "README.md": [
        "# App", // 1
        fence("", "no language"), // 2-4
        "<!-- checked by something -->", // 5
        fence("ts", "x;"), // 6-8
        "<!-- not checked: -->", // 9
        fence("ts", "y;"), // 10-12
        "<!-- given: declare const z: number; -->", // 13
        "", // 14
        fence("ts", "z;"), // 15-17
        "<!-- given: declare const w: number; -->", // 18
        fence("sh", "ls"), // 19-21
        "<!-- given: -->", // 22
        fence("ts", "v;"), // 23-25
        "```ts", // 26: never closed
      ].join("\n"),
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n").sort()).toEqual(
      [
        "README.md:2: a code block without a language: say what it is (ts, text, sh…)",
        'README.md:5: a comment right above a code block must be "<!-- given: … -->" or "<!-- not checked: reason -->"',
        'README.md:9: "not checked" needs a reason',
        "README.md:13: a given or not-checked comment with no code block right after it",
        "README.md:18: a given or not-checked comment above a sh block",
        "README.md:22: an empty given",
        "README.md:26: a code block that never closes",
      ].sort(),
    );
  });

  it("--locate puts the Markdown file and line before each compiler message about a block", () => {
    const run = extract({
      "docs/b.md": [
        "<!-- given:",
        "declare const a: number;",
        "-->",
        fence("ts", "", "a.nope;"),
      ].join("\n"),
    });
    expect(run.status).toBe(0);
    // The module: header, "given" line, the given (line 3), "the block" line, the block (5, 6).
    const messages = [
      "src/docs/b-1.ts(3,15): error TS1: in the given",
      "src/docs/b-1.ts(6,3): error TS2: in the block",
      "src/other.ts(1,1): error TS3: elsewhere",
    ].join("\n");
    const located = spawnSync(process.execPath, [extractor, "--locate", run.out], {
      input: messages,
      encoding: "utf8",
    });
    expect(located.stdout.split("\n")).toEqual([
      "docs/b.md:2: src/docs/b-1.ts(3,15): error TS1: in the given",
      "docs/b.md:6: src/docs/b-1.ts(6,3): error TS2: in the block",
      "src/other.ts(1,1): error TS3: elsewhere",
    ]);
  });
});

function mkdtempOut(): string {
  const folder = mkdtempSync(join(tmpdir(), "docs-blocks-"));
  folders.push(folder);
  return folder;
}
