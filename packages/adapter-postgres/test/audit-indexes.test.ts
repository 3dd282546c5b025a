import type { AuditQuery } from "@panel-access/core";
import { T0 } from "@panel-access/core/testing";
import { serverAvailable } from "@panel-access/test-support/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listingSql } from "../src/store/audit.js";
import { testDatabase } from "./database.js";

/**
 * AUD-2 on a PostgreSQL server: a listing filtered by kind reads an index
 * range per kind (migrations/006_audit_by_type.sql), on a trail large enough
 * that without those indexes the planner scans the table.
 */
const onServer = await serverAvailable();
const database = onServer ? await testDatabase("server") : null;
afterAll(() => database?.drop());
const schema = `"${database?.schema ?? "unused"}"`;
/** Events in the trail; the big panel holds half of them. */
const EVENTS = 60_000;
const NOW = T0.plus({ days: 200 });
const FROM = NOW.minus({ days: 365 });

/** The plan PostgreSQL picks for the listing `query`, as text. */
async function planOf(query: AuditQuery): Promise<string> {
  const { sql, params } = listingSql(schema, query);
  const { rows } = await (database?.driver ?? never()).transaction((c) =>
    c.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, params),
  );
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

function never(): never {
  throw new Error("no server");
}

describe.runIf(onServer)("AUD-2: listings by kind on a PostgreSQL server", () => {
  beforeAll(async () => {
    // Administration kinds in two panels, the rarest a handful; security kinds of
    // 500 accounts (a fortieth of the events about no account). Over 167 days.
    await database?.driver.transaction(async (c) => {
      await c.query(
        `INSERT INTO ${schema}.audit_events (id, at, type, actor, account_id, panel_id, event)
         SELECT 'e' || lpad(g::text, 7, '0'), $1::timestamptz + g * interval '4 minutes',
           CASE WHEN g % 4 = 3 THEN
                  CASE WHEN g % 1000 = 3 THEN 'account.locked' WHEN g % 3 = 0 THEN 'login.completed'
                       ELSE 'login.passwordAccepted' END
                WHEN g % 2000 IN (1, 2) THEN 'twoFactor.reset'
                WHEN g % 200 IN (1, 2) THEN 'membership.removed'
                WHEN g % 2 = 0 THEN 'invitation.sent' ELSE 'membership.granted' END,
           '{"type":"system"}', CASE WHEN g % 40 = 39 THEN NULL ELSE 'acc' || (g % 500) END,
           CASE g % 4 WHEN 3 THEN NULL WHEN 2 THEN 'other-panel' ELSE 'big-panel' END, '{}'
         FROM generate_series(1, $2::int) AS g`,
        [T0.toISO(), EVENTS],
      );
      await c.exec(`ANALYZE ${schema}.audit_events`);
    });
  }, 120_000);

  /** Any of migration 006's indexes by kind. */
  const BY_KIND = "audit_events_by_(panel_|account_)?type";
  const listings: [string, Omit<AuditQuery, "limit">, string][] = [
    [
      "a panel's, one rare kind",
      { panelId: "big-panel", types: ["twoFactor.reset"] },
      "audit_events_by_panel_type",
    ],
    [
      "a panel's, a kind it does not hold",
      { panelId: "big-panel", types: ["access.restored"] },
      BY_KIND,
    ],
    [
      "a panel's, three kinds, from a cursor",
      {
        panelId: "big-panel",
        types: ["twoFactor.reset", "membership.removed", "access.restored"],
        after: { at: NOW.minus({ days: 100 }), id: "e0030000" },
      },
      "audit_events_by_panel_type",
    ],
    [
      "an account's, a rare security kind",
      { accountId: "acc7", types: ["account.locked", "password.reset"] },
      "audit_events_by_account_type",
    ],
    ["the whole trail's, one rare kind", { types: ["account.locked"] }, "audit_events_by_type"],
  ];

  for (const [what, filters, index] of listings) {
    it(`AUD-2: ${what}: an index scan on ${index.replace(BY_KIND, "an index by kind")}, no sequential scan of audit_events`, async () => {
      const plan = await planOf({ ...filters, from: FROM, to: NOW, limit: 51 });
      // The planner may prefer another index by kind (a kind with no event is one empty
      // range in each) or a bitmap scan (reading, and sorting, only that kind's events).
      expect(plan).toMatch(
        new RegExp(`(Index Scan (Backward )?using|Bitmap Index Scan on) ${index}`),
      );
      expect(plan).not.toMatch(/Seq Scan on audit_events/);
    });
  }

  it("AUD-2: without migration 006's indexes, the same listing scans the table: the trail is large enough to tell", async () => {
    const query: AuditQuery = {
      panelId: "big-panel",
      types: ["access.restored"],
      from: FROM,
      limit: 51,
    };
    const { sql, params } = listingSql(schema, query);
    const plan = await (database?.driver ?? never())
      .transaction(async (c) => {
        await c.exec(`DROP INDEX ${schema}.audit_events_by_panel_type,
        ${schema}.audit_events_by_account_type, ${schema}.audit_events_by_type`);
        const { rows } = await c.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, params);
        // Roll the DROP back: the driver rolls back a transaction whose work rejects.
        throw Object.assign(new Error("rollback"), { plan: rows.map((r) => r["QUERY PLAN"]) });
      })
      .catch((rolledBack: { plan?: string[] }) => (rolledBack.plan ?? []).join("\n"));
    // Every event of the table, or of the panel one by one, each checked for its kind.
    expect(plan).toMatch(/Seq Scan on audit_events|Filter: \(type = /);
    expect(await planOf(query)).toMatch(new RegExp(`Index Scan using ${BY_KIND}`));
    expect(await planOf(query)).not.toMatch(/Seq Scan on audit_events|Filter: \(type = /);
  });
});
