import type { AuditQuery } from "@panel-access/core";
import { T0 } from "@panel-access/core/testing";
import { serverAvailable } from "@panel-access/test-support/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanup, PostgresStore, type SqlClient, type SqlDriver } from "../src/index.js";
import { listingSql } from "../src/store/audit.js";
import { testDatabase } from "./database.js";

/**
 * AUD-2 on a PostgreSQL server: every listing reads one index range per
 * kind (src/migrations/006_audit_by_type.ts; there is no index by panel,
 * account or time alone), and so does the cleanup, on a trail large enough that
 * without those indexes the planner scans the table.
 */
const onServer = await serverAvailable();
const database = onServer ? await testDatabase("server") : null;
afterAll(() => database?.drop());
const schema = `"${database?.schema ?? "unused"}"`;
/** Events in the trail; the big panel holds half of them. */
const EVENTS = 60_000;
const NOW = T0.plus({ days: 200 });
const FROM = NOW.minus({ days: 365 });

/** The plan PostgreSQL picks for `sql`, as text. */
async function explain(sql: string, params: readonly unknown[]): Promise<string> {
  const { rows } = await (database?.driver ?? never()).transaction((c) =>
    c.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, [...params]),
  );
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

/** The plan PostgreSQL picks for the listing `query`, as text. */
function planOf(query: AuditQuery): Promise<string> {
  const { sql, params } = listingSql(schema, query);
  return explain(sql, params);
}

function never(): never {
  throw new Error("no server");
}

/** Any of migration 006's indexes by kind. */
const BY_KIND = "audit_events_by_(panel_|account_)?type";
/** A scan of audit_events on an index by kind: a range of it, or a bitmap of its entries. */
const KIND_SCAN = new RegExp(`(Index Scan (Backward )?using|Bitmap Index Scan on) ${BY_KIND}`);

/**
 * Every scan node of `plan` that reads audit_events must read an index by
 * kind (a sequential scan reads the whole table); `also` names the other
 * scans allowed (cleanup's probes of the primary key).
 */
function expectIndexedByKind(plan: string, also?: RegExp): void {
  expect(plan).not.toMatch(/Seq Scan on audit_events/);
  expect(plan).toMatch(KIND_SCAN);
  const scans = plan.split("\n").filter((line) => /Scan (using \S+ )?on audit_events/.test(line));
  for (const scan of scans) {
    const allowed = [KIND_SCAN.source, "Bitmap Heap Scan", ...(also ? [also.source] : [])];
    expect(scan).toMatch(new RegExp(allowed.join("|")));
  }
}

describe.runIf(onServer)("AUD-2: listings and cleanup on a PostgreSQL server", () => {
  beforeAll(async () => {
    // Administration kinds in two panels, the rarest a handful; security kinds of
    // 500 accounts (a fortieth of the events about no account). Over 167 days.
    await database?.driver.transaction(async (c) => {
      await c.query(
        `INSERT INTO ${schema}.audit_events (id, at, type, actor, account_id, panel_id, event)
         SELECT 'e' || lpad(g::text, 7, '0'), $1::timestamptz + g * interval '4 minutes',
           CASE WHEN g % 4 = 3 THEN
                  CASE WHEN g % 1000 = 3 THEN 'account.locked' WHEN g % 3 = 0 THEN 'login.completed'
                       WHEN g % 7 = 1 THEN 'login.failed' ELSE 'login.passwordAccepted' END
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

  it("AUD-2: audit_events has its primary key and the three indexes by kind, no other (005's by panel, account and time are dropped)", async () => {
    const { rows } = await (database?.driver ?? never()).transaction((c) =>
      c.query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'audit_events' ORDER BY indexname",
        [database?.schema],
      ),
    );
    expect(rows.map((row) => row.indexname)).toEqual([
      "audit_events_by_account_type",
      "audit_events_by_panel_type",
      "audit_events_by_type",
      "audit_events_pkey",
    ]);
  });

  const scopes: [string, Omit<AuditQuery, "limit">][] = [
    ["a panel's", { panelId: "big-panel" }],
    ["an account's", { accountId: "acc7" }],
    ["the whole trail's", {}],
  ];
  const kinds: [string, Pick<AuditQuery, "types">][] = [
    ["every kind (no types)", {}],
    ["one rare kind", { types: ["twoFactor.reset"] }],
    [
      "three kinds, one held nowhere, one named twice",
      { types: ["account.locked", "access.restored", "membership.removed", "account.locked"] },
    ],
  ];
  const windows: [string, Pick<AuditQuery, "from" | "to" | "after">][] = [
    ["first page", {}],
    ["from/to", { from: FROM, to: NOW }],
    ["from a cursor", { after: { at: T0.plus({ days: 100 }), id: "e0036000" } }],
    [
      "from/to and a deep cursor",
      { from: FROM, to: NOW, after: { at: T0.plus({ days: 5 }), id: "e0001800" } },
    ],
  ];

  for (const [scope, filters] of scopes) {
    for (const [kind, types] of kinds) {
      for (const [window, range] of windows) {
        it(`AUD-2: ${scope} listing, ${kind}, ${window}: index scans by kind merged newest first, no sequential scan or sort of audit_events`, async () => {
          const plan = await planOf({ ...filters, ...types, ...range, limit: 51 });
          expectIndexedByKind(plan);
          // One limited branch per kind, merged in order (the planner may also read a rare
          // kind's range as a bitmap and sort only those entries).
          if (types.types?.length !== 1) expect(plan).toMatch(/Merge Append/);
        });
      }
    }
  }

  it("AUD-2: a listing with no types lists exactly what a plain ORDER BY over the table does: first page and deep pages, by panel, account and the whole trail", async () => {
    const driver = database?.driver ?? never();
    const store = new PostgresStore(driver, { schema: database?.schema ?? "" });
    for (const [, filters] of scopes) {
      for (const [, range] of windows) {
        const query: AuditQuery = { ...filters, ...range, limit: 51 };
        const listed = await store.transact({}, (tx) => tx.listAuditEvents(query));
        const { rows } = await driver.transaction((c) =>
          c.query<{ id: string }>(
            `SELECT id FROM ${schema}.audit_events
              WHERE ($1::text IS NULL OR panel_id = $1) AND ($2::text IS NULL OR account_id = $2)
                AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
                AND ($5::timestamptz IS NULL OR (at, id) < ($5, $6))
              ORDER BY at DESC, id DESC LIMIT 51`,
            [
              query.panelId ?? null,
              query.accountId ?? null,
              query.from?.toJSDate() ?? null,
              query.to?.toJSDate() ?? null,
              query.after?.at.toJSDate() ?? null,
              query.after?.id ?? null,
            ],
          ),
        );
        expect(rows.length).toBeGreaterThan(0);
        expect(listed.map((event) => event.id)).toEqual(rows.map((row) => row.id));
      }
    }
  });

  it("AUD-2: cleanup's deletes (events past keepAuditEventsFor, failed logins without an account) read the indexes by kind, no sequential scan", async () => {
    const driver = database?.driver ?? never();
    // Each DELETE of the trail is explained instead of run (answering no rows: the batches stop).
    const plans: string[] = [];
    const explaining: SqlDriver = {
      transaction: (work) =>
        driver.transaction((client) =>
          work({
            query: async <R>(sql: string, params?: readonly unknown[]) => {
              if (!/DELETE FROM \S+\.audit_events/.test(sql)) return client.query<R>(sql, params);
              const { rows } = await client.query<{ "QUERY PLAN": string }>(
                `EXPLAIN ${sql}`,
                params,
              );
              plans.push(rows.map((row) => row["QUERY PLAN"]).join("\n"));
              return { rows: [] };
            },
            exec: (sql) => client.exec(sql),
          } satisfies SqlClient),
        ),
    };
    // The first of 167 days is past the retention (a day's events: the usual daily run).
    const report = await cleanup(explaining, {
      schema: database?.schema ?? "",
      now: NOW,
      keepAuditEventsFor: { days: 199 },
    });
    expect(report.auditEvents).toBe(0);
    expect(plans).toHaveLength(2);
    const [old = "", failedLogins = ""] = plans;
    // The batch's rows found again by the primary key, one probe each.
    const byKey = /Index Scan using audit_events_pkey/;
    expectIndexedByKind(old, byKey);
    expect(old).toMatch(/audit_events_by_type/);
    expectIndexedByKind(failedLogins, byKey);
    expect(failedLogins).toMatch(/audit_events_by_account_type/);
  });

  it("AUD-2: without migration 006's indexes, the same listings and cleanup scan the table: the trail is large enough to tell", async () => {
    const { sql, params } = listingSql(schema, { panelId: "big-panel", from: FROM, limit: 51 });
    const filtered = listingSql(schema, {
      panelId: "big-panel",
      types: ["access.restored"],
      from: FROM,
      limit: 51,
    });
    const plans = await (database?.driver ?? never())
      .transaction(async (c) => {
        await c.exec(`DROP INDEX ${schema}.audit_events_by_panel_type,
        ${schema}.audit_events_by_account_type, ${schema}.audit_events_by_type`);
        const explained: string[] = [];
        for (const [text, values] of [
          [sql, params],
          [filtered.sql, filtered.params],
        ] as const) {
          const { rows } = await c.query<{ "QUERY PLAN": string }>(`EXPLAIN ${text}`, values);
          explained.push(rows.map((r) => r["QUERY PLAN"]).join("\n"));
        }
        // Roll the DROP back: the driver rolls back a transaction whose work rejects.
        throw Object.assign(new Error("rollback"), { plans: explained });
      })
      .catch((rolledBack: { plans?: string[] }) => rolledBack.plans ?? []);
    expect(plans).toHaveLength(2);
    for (const plan of plans) expect(plan).toMatch(/Seq Scan on audit_events/);
    expectIndexedByKind(await planOf({ panelId: "big-panel", from: FROM, limit: 51 }));
  });
});
