import { MemoryStore } from "@panel-access/adapter-memory";
import { describe, expect, it } from "vitest";
import { checkAgainstModel } from "../src/index.js";
import { printReport } from "./report.js";

const HISTORIES = Number(process.env.MODEL_HISTORIES_MEMORY ?? 5000);

describe("the reference model against the core on adapter-memory (second half)", () => {
  it(`ACC, PNL, LCK, PWD, TFA, SES, MAIL-1: ${HISTORIES} more random histories agree with the model`, async () => {
    const report = await checkAgainstModel({
      createStore: () => new MemoryStore(),
      histories: HISTORIES,
    });
    printReport("memory, second half", report);
    expect(report.histories).toBe(HISTORIES);
  }, 900_000);
});
