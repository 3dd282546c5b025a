import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ERROR_STATUS } from "../src/index.js";

const CORE_SRC = fileURLToPath(new URL("../../core/src/", import.meta.url));

/** Every `type: "SOME_CODE"` the core's sources can answer (tests and contracts aside). */
function coreErrorCodes(folder: string): Set<string> {
  const codes = new Set<string>();
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "testing" || entry.name === "contracts") continue;
      for (const code of coreErrorCodes(path)) codes.add(code);
    } else if (entry.name.endsWith(".ts")) {
      for (const match of readFileSync(path, "utf8").matchAll(/type: "([A-Z][A-Z_]+)"/g)) {
        codes.add(match[1] as string);
      }
    }
  }
  return codes;
}

describe("one status per error code", () => {
  it("INP-1: every error code the library can answer has its HTTP status (none falls back to 500)", () => {
    const codes = [...coreErrorCodes(CORE_SRC)];
    expect(codes.length).toBeGreaterThan(30);
    const unmapped = codes.filter((code) => !Object.hasOwn(ERROR_STATUS, code));
    expect(unmapped).toEqual([]);
  });
});
