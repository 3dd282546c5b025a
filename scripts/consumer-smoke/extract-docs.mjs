// The code blocks of the docs, for the consumer smoke test to compile (docs/installing.md).
//
//   node extract-docs.mjs <repository root> <folder>   writes every block to a module of its own
//   tsc … | node extract-docs.mjs --locate <folder>    puts the Markdown line before tsc's messages
//
// It reads README.md, docs/*.md, packages/*/README.md and examples/*/README.md. Each ```ts
// (```typescript, ```js, ```javascript) block becomes <folder>/<file-slug>-<n>.ts, the n-th such
// block of its file, ending in `export {}` so its names and top-level await stay its own. A block
// compiles as written unless an HTML comment right above its fence says otherwise:
//
//   <!-- given:
//   import type { PanelAccess } from "@panel-access/core";
//   declare const panelAccess: PanelAccess;
//   -->
//     what the prose around a fragment assumes, put before the block in its module;
//   <!-- not checked: the reason -->
//     a block that shows a deliberate mistake (the reason is required).
//
// It fails, naming the file and line, on a fence without a language, on another comment right
// above a TypeScript block, and on a `given`/`not checked` comment that no TypeScript block
// follows. Plain Node, no dependency.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const CHECKED = new Set(["ts", "typescript", "js", "javascript"]);
const INDEX = "blocks.json";

if (process.argv[2] === "--locate") locate(process.argv[3]);
else extract(process.argv[2], process.argv[3]);

function extract(root, folder) {
  if (!root || !folder) usage();
  const files = documents(root);
  const modules = [];
  const problems = [];
  const skipped = [];
  for (const file of files) {
    const lines = readFileSync(join(root, file), "utf8").split("\n");
    const found = blocks(file, lines, problems);
    let n = 0;
    for (const block of found) {
      if (!CHECKED.has(block.language)) continue;
      n += 1;
      if (block.skip !== undefined) {
        skipped.push(`${file}:${block.fence}: ${block.skip}`);
        continue;
      }
      modules.push({ ...block, file, name: `${slug(file)}-${n}.ts` });
    }
  }
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    process.exit(1);
  }
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const index = [];
  for (const m of modules) {
    const head = [`// ${m.file}, the block at line ${m.fence} (extracted by extract-docs.mjs).`];
    const given = m.given ?? [];
    if (given.length > 0) head.push(`// given (${m.file}:${m.givenLine}):`, ...given);
    head.push("// the block:");
    writeFileSync(join(folder, m.name), [...head, ...m.code, "", "export {};", ""].join("\n"));
    // Module line -> Markdown line: the given's lines, then the block's.
    index.push({
      module: m.name,
      file: m.file,
      given: given.length > 0 ? { from: 3, to: 2 + given.length, line: m.givenCodeLine } : null,
      code: { from: head.length + 1, to: head.length + m.code.length, line: m.fence + 1 },
    });
  }
  writeFileSync(join(folder, INDEX), `${JSON.stringify(index, null, 2)}\n`);
  const given = modules.filter((m) => m.given !== undefined).length;
  console.log(
    `${modules.length} code blocks from ${new Set(modules.map((m) => m.file)).size} files` +
      ` (${modules.length - given} as written, ${given} with what their prose gives),` +
      ` ${skipped.length} not checked${skipped.length > 0 ? ":" : ""}`,
  );
  for (const line of skipped) console.log(`  ${line}`);
}

/** The Markdown files whose blocks are checked, relative to the root, sorted. */
function documents(root) {
  const inside = (dir, match) => {
    try {
      return readdirSync(join(root, dir), { withFileTypes: true })
        .filter(match)
        .map((entry) => entry.name);
    } catch {
      return [];
    }
  };
  const readmes = (dir) =>
    inside(dir, (e) => e.isDirectory())
      .filter((name) => inside(`${dir}/${name}`, (e) => e.name === "README.md").length > 0)
      .map((name) => `${dir}/${name}/README.md`);
  return [
    ...inside(".", (e) => e.isFile() && e.name === "README.md"),
    ...inside("docs", (e) => e.isFile() && e.name.endsWith(".md")).map((name) => `docs/${name}`),
    ...readmes("packages"),
    ...readmes("examples"),
  ].sort();
}

/**
 * The fenced blocks of one file: language, the fence's line (1-based), the code, and what the
 * comment right above says. Problems are pushed as "file:line: what".
 */
function blocks(file, lines, problems) {
  const found = [];
  const comments = []; // given / not checked comments: { start, end } (0-based lines)
  let open = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (open !== null) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close && close[1][0] === open.marker[0] && close[1].length >= open.marker.length) {
        found.push({ ...open, code: lines.slice(open.index + 1, i) });
        open = null;
      }
      continue;
    }
    const fence = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
    if (fence) {
      const language = fence[2].toLowerCase();
      if (language === "") {
        problems.push(
          `${file}:${i + 1}: a code block without a language: say what it is (ts, text, sh…)`,
        );
      }
      open = {
        marker: fence[1],
        language,
        index: i,
        fence: i + 1,
        ...above(file, lines, i, problems),
      };
      if (open.comment !== undefined) comments.push(open.comment);
      if (open.comment !== undefined && !CHECKED.has(language)) {
        problems.push(
          `${file}:${open.comment.start + 1}: a given or not-checked comment above a ${language || "plain"} block`,
        );
      }
      continue;
    }
    if (/^\s*<!--\s*(given|not checked)\s*:/.test(line) && !comments.some((c) => c.start === i)) {
      // Checked below once every block is known: a comment no block follows.
      comments.push({ start: i, orphan: true });
    }
  }
  if (open !== null) problems.push(`${file}:${open.fence}: a code block that never closes`);
  for (const comment of comments) {
    if (comment.orphan && !found.some((b) => b.comment?.start === comment.start)) {
      problems.push(
        `${file}:${comment.start + 1}: a given or not-checked comment with no code block right after it`,
      );
    }
  }
  return found;
}

/** The HTML comment that ends on the line right above the fence at `index`, if any. */
function above(file, lines, index, problems) {
  const end = index - 1;
  if (end < 0 || !/-->\s*$/.test(lines[end])) return {};
  let start = end;
  while (start >= 0 && !/^\s*<!--/.test(lines[start])) start -= 1;
  if (start < 0) return {};
  const text = lines.slice(start, end + 1).join("\n");
  const body = text.replace(/^\s*<!--/, "").replace(/-->\s*$/, "");
  const comment = { start, end };
  const given = /^\s*given:/.exec(body);
  if (given) {
    const code = body
      .slice(given[0].length)
      .replace(/^[ \t]*\n/, "")
      .replace(/\n[ \t]*$/, "");
    if (code.trim() === "") problems.push(`${file}:${start + 1}: an empty given`);
    // The given's first line: on the comment's own line, or the next one.
    const sameLine = /^\s*<!--\s*given:\s*\S/.test(lines[start]);
    return {
      comment,
      given: code.split("\n"),
      givenLine: start + 1,
      givenCodeLine: start + (sameLine ? 1 : 2),
    };
  }
  const skip = /^\s*not checked:\s*([\s\S]*?)\s*$/.exec(body);
  if (skip) {
    if (skip[1] === "") problems.push(`${file}:${start + 1}: "not checked" needs a reason`);
    return { comment, skip: skip[1].replace(/\s+/g, " ") };
  }
  problems.push(
    `${file}:${start + 1}: a comment right above a code block must be "<!-- given: … -->" or "<!-- not checked: reason -->"`,
  );
  return { comment };
}

function slug(file) {
  return file
    .replace(/\.md$/i, "")
    .replace(/^docs\//, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-");
}

/** Reads tsc's messages from stdin and puts the Markdown file and line before each one in a block. */
function locate(folder) {
  if (!folder) usage();
  const index = JSON.parse(readFileSync(join(folder, INDEX), "utf8"));
  const byModule = new Map(index.map((entry) => [entry.module, entry]));
  const at = (module, line) => {
    const entry = byModule.get(module);
    if (entry === undefined) return null;
    for (const part of [entry.given, entry.code]) {
      if (part !== null && line >= part.from && line <= part.to) {
        return `${entry.file}:${part.line + line - part.from}`;
      }
    }
    return entry.file;
  };
  let input = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => {
    input += chunk;
  });
  process.stdin.on("end", () => {
    const out = input.replace(
      /^(.*?)([^/\s(]+\.ts)\((\d+),(\d+)\)(.*)$/gm,
      (all, _p, module, line) => {
        const place = at(module, Number(line));
        return place === null ? all : `${place}: ${all}`;
      },
    );
    process.stdout.write(out);
  });
}

function usage() {
  console.error("usage: extract-docs.mjs <repository root> <folder> | --locate <folder>");
  process.exit(2);
}
