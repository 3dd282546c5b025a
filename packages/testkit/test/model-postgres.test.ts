import { PostgresStore } from "@panel-access/adapter-postgres";
import { serverOrPglite } from "@panel-access/test-support/postgres";
import { afterAll, describe, expect, it } from "vitest";
import { checkAgainstModel } from "../src/index.js";
import { testDatabase } from "./support/postgres.js";
import { expectReached, printReport, V2_MILESTONES } from "./support/report.js";

/** CI runs 300 histories on the real server; `pnpm verify:deep` 100 times more. */
const HISTORIES = Number(process.env.MODEL_HISTORIES_POSTGRES ?? 300);
const database = await testDatabase(await serverOrPglite());
afterAll(() => database.drop());

describe(`the reference model against the core on adapter-postgres (${database.kind})`, () => {
  it(
    `ACC, PNL, LCK, PWD, TFA, SES (SES-3: the last use recorded once a minute at most), MAIL-1, MAIL-3 (rules v2): ${HISTORIES} random histories agree with the model after every command`,
    async () => {
      const report = await checkAgainstModel({
        createStore: () => new PostgresStore(database.driver, { schema: database.schema }),
        shareStore: true,
        histories: HISTORIES,
      });
      printReport(`postgres (${database.kind})`, report);
      expect(report.histories).toBe(HISTORIES);
      // These come in 5% of histories or more, so CI's 300 reach each many times (a
      // permanent block, in about 1 history of 60, is printed above, not required).
      // A quick local run with a few histories may miss one: not checked then.
      if (HISTORIES >= 300) expectReached(report, ["failure: locked", ...V2_MILESTONES]);
    },
    Math.max(900_000, HISTORIES * 1000),
  );
});
