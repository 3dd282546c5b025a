import { anAuditEvent, uniqueId } from "@panel-access/core/testing";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cli,
  logLines,
  OPERATOR,
  SECRET_PASSWORD,
  type TestSchema,
  testSchema,
} from "./support/world.js";

let db: TestSchema;
const panelId = uniqueId("pnl");

beforeAll(async () => {
  db = await testSchema();
  // Two events of a panel: one 10 days old, one of now.
  const now = DateTime.utc();
  await db.store.transact({}, (tx) =>
    tx.appendAuditEvents([
      anAuditEvent(panelId, { at: now.minus({ days: 10 }) }),
      anAuditEvent(panelId, { at: now }),
    ]),
  );
});
afterAll(() => db.drop());

/** The panel's events left in the trail. */
async function eventsLeft(): Promise<number> {
  const { rows } = await db.driver.transaction((client) =>
    client.query<{ count: string }>(
      `SELECT count(*) FROM "${db.schema}".audit_events WHERE panel_id = $1`,
      [panelId],
    ),
  );
  return Number(rows[0]?.count);
}

describe("panel-access cleanup (AUD-2: the trail's retention)", () => {
  it("AUD-2: without PANEL_ACCESS_AUDIT_RETENTION_DAYS cleanup deletes nothing and exits 3, naming it and saying it must match the app's audit.keepFor (no default to guess with)", async () => {
    for (const days of [undefined, "", "  "]) {
      const run = await cli(["cleanup", "--operator", OPERATOR], {
        ...db.env,
        ...(days !== undefined && { PANEL_ACCESS_AUDIT_RETENTION_DAYS: days }),
      });
      expect(run.code).toBe(3);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(
        "panel-access: configuration: PANEL_ACCESS_AUDIT_RETENTION_DAYS: required: a whole number of days, at least 1, that must match the app's audit.keepFor (older audit events are deleted)\n",
      );
    }
    expect(await eventsLeft()).toBe(2);
    const help = await cli(["cleanup", "--help"]);
    expect(help.stdout).toContain(
      "PANEL_ACCESS_AUDIT_RETENTION_DAYS  required: the app's audit.keepFor in days",
    );
  });

  it("AUD-2: cleanup runs the adapter's cleanup, prints its report, and logs 'cleanup done' as the operator, keeping audit events the days it is told (365 here)", async () => {
    const run = await cli(["cleanup", "--operator", OPERATOR], {
      ...db.env,
      PANEL_ACCESS_AUDIT_RETENTION_DAYS: "365",
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `cleanup of schema ${db.schema} (audit events kept 365 days), deleted:`,
        "  links               0",
        "  sessions            0",
        "  rememberedBrowsers  0",
        "  sentMail            0",
        "  throttleCounters    0",
        "  auditEvents         0",
        "",
      ].join("\n"),
    );
    expect(logLines(run.stderr)).toEqual([
      expect.objectContaining({
        level: "info",
        msg: "cleanup done",
        auditEvents: 0,
        auditRetentionDays: 365,
        command: "cleanup",
        operator: OPERATOR,
      }),
    ]);
    expect(await eventsLeft()).toBe(2);
    expect(run.stdout + run.stderr).not.toContain(SECRET_PASSWORD);
  });

  it("AUD-2: PANEL_ACCESS_AUDIT_RETENTION_DAYS is the app's audit.keepFor: events older than it go, newer ones stay", async () => {
    const run = await cli(["cleanup", "--operator", OPERATOR], {
      ...db.env,
      PANEL_ACCESS_AUDIT_RETENTION_DAYS: "7",
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("(audit events kept 7 days)");
    expect(run.stdout).toMatch(/^ {2}auditEvents {9}1$/m);
    expect(logLines(run.stderr)[0]).toMatchObject({ auditEvents: 1, auditRetentionDays: 7 });
    expect(await eventsLeft()).toBe(1);
  });

  it("INP-1, AUD-2: an invalid retention is a configuration error (exit 3); cleanup without --operator a usage error (exit 2); nothing is deleted", async () => {
    for (const days of ["0", "-3", "1.5", "a year"]) {
      const run = await cli(["cleanup", "--operator", OPERATOR], {
        ...db.env,
        PANEL_ACCESS_AUDIT_RETENTION_DAYS: days,
      });
      expect(run.code).toBe(3);
      expect(run.stderr).toContain(
        "configuration: PANEL_ACCESS_AUDIT_RETENTION_DAYS: a whole number of days, at least 1, that must match the app's audit.keepFor\n",
      );
    }
    const anonymous = await cli(["cleanup"], { ...db.env, PANEL_ACCESS_AUDIT_RETENTION_DAYS: "1" });
    expect(anonymous.code).toBe(2);
    expect(await eventsLeft()).toBe(1);
  });
});
