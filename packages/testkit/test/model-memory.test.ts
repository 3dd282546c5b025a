import { MemoryStore } from "@panel-access/adapter-memory";
import { describe, expect, it } from "vitest";
import { checkAgainstModel } from "../src/index.js";
import { printReport } from "./report.js";

/** CI runs 10,000 histories on memory (two files of 5,000, one per core); `pnpm verify:deep` 100 times more. */
const HISTORIES = Number(process.env.MODEL_HISTORIES_MEMORY ?? 5000);

describe("the reference model against the core on adapter-memory (first half)", () => {
  it(`ACC, PNL, LCK, PWD, TFA, SES, MAIL-1: ${HISTORIES} random histories agree with the model after every command`, async () => {
    const report = await checkAgainstModel({
      createStore: () => new MemoryStore(),
      histories: HISTORIES,
    });
    printReport("memory, first half", report);
    expect(report.histories).toBe(HISTORIES);
    expect(report.reached.get("failure: blocked") ?? 0).toBeGreaterThan(0);
    expect(report.reached.get("login: done") ?? 0).toBeGreaterThan(0);
  }, 900_000);
});
