// Prints the TypeScript block of README.md that follows the marker
// `<!-- checked by scripts/consumer-smoke -->`, for the smoke test to compile as written.
import { readFileSync } from "node:fs";

const lines = readFileSync(process.argv[2], "utf8").split("\n");
const marker = lines.findIndex((line) =>
  line.includes("<!-- checked by scripts/consumer-smoke -->"),
);
const start = lines.findIndex((line, i) => i > marker && line.startsWith("```ts"));
const end = lines.findIndex((line, i) => i > start && line.startsWith("```"));
if (marker < 0 || start < 0 || end < 0) {
  console.error("README.md: no ```ts block after the consumer-smoke marker");
  process.exit(1);
}
console.log(lines.slice(start + 1, end).join("\n"));
