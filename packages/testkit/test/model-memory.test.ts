import { MemoryStore } from "@panel-access/adapter-memory";
import { describe, expect, it } from "vitest";
import { checkAgainstModel } from "../src/index.js";

const HISTORIES = Number(process.env.MODEL_HISTORIES ?? 200);

describe("the reference model against the core on adapter-memory", () => {
  it(`ACC, PNL, LCK, PWD, TFA, SES, MAIL-1: ${HISTORIES} random histories agree with the model after every command`, async () => {
    const report = await checkAgainstModel({
      createStore: () => new MemoryStore(),
      histories: HISTORIES,
    });
    console.log(`model check (memory): ${report.histories} histories, ${report.commands} commands`);
    console.log(
      [...report.reached]
        .sort()
        .map(([k, n]) => `  ${n}\t${k}`)
        .join("\n"),
    );
    expect(report.histories).toBe(HISTORIES);
  }, 600_000);
});
