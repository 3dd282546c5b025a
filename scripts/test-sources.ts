/**
 * Reads the repository's test sources for the rule book's check: every file under
 * packages/ and examples/ that `isTestSource` accepts, keyed by its repository path.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isTestSource } from "./check-rules-lib.js";

/** Every file under a folder of the repository, as repository paths (no node_modules, no dist). */
function walk(root: string, folder: string): string[] {
  const paths: string[] = [];
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist") continue;
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) paths.push(...walk(root, path));
    else if (entry.isFile()) paths.push(path);
  }
  return paths;
}

/** The test sources of the repository at `root`: repository path → text. */
export function readTestSources(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const path of [...walk(root, "packages"), ...walk(root, "examples")].filter(isTestSource)) {
    files.set(path, readFileSync(join(root, path), "utf8"));
  }
  return files;
}
