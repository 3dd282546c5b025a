import { describe, it } from "vitest";
import { checkMemoryHalf, MEMORY_HISTORIES } from "./support/report.js";

describe("the reference model against the core on adapter-memory (first half)", () => {
  it(
    `ACC, PNL, LCK, PWD, TFA, SES (SES-3: the last use recorded once a minute at most), MAIL-1, MAIL-3 (rules v2): ${MEMORY_HISTORIES} random histories agree with the model after every command`,
    () => checkMemoryHalf("first"),
    Math.max(900_000, MEMORY_HISTORIES * 50),
  );
});
