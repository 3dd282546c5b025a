/**
 * Writes packages/http/openapi.json: the OpenAPI 3.1 document of the JSON
 * API for the default options (base path /api/auth, https), formatted as
 * Biome formats JSON. Run from the repository root after changing a route:
 *
 *   pnpm --filter @panel-access/http exec tsx --conditions=@panel-access/source scripts/write-openapi.ts
 *
 * test/openapi.test.ts fails while the committed file differs from the
 * document the code builds.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createInMemoryPanelAccess } from "@panel-access/testkit";
import { createPanelAccessHttp } from "../src/index.js";

const target = fileURLToPath(new URL("../openapi.json", import.meta.url));
const http = createPanelAccessHttp(createInMemoryPanelAccess().panelAccess, {
  publicUrl: "https://app.example.test",
});
writeFileSync(target, `${JSON.stringify(http.openapi(), null, 2)}\n`);
// The repository's formatter, so that `biome check` passes on the file as written.
const biome = fileURLToPath(new URL("../../../node_modules/.bin/biome", import.meta.url));
execFileSync(biome, ["format", "--write", target], { stdio: "inherit" });
console.log(`wrote ${target}`);
