import { defineConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript sources through the
// "@panel-access/source" export condition, so tests need no build step.
export default defineConfig({
  resolve: { conditions: ["@panel-access/source"] },
  ssr: { resolve: { conditions: ["@panel-access/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/*/test/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
