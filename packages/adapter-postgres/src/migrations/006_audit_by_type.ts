import type { Migration } from "./migration.js";

/** Migration 6, recorded in `schema_migrations` as "006_audit_by_type.sql" (its file name before the SQL was compiled in). */
export const migration: Migration = {
  version: 6,
  name: "006_audit_by_type.sql",
  sql: `-- AUD-2: the trail's indexes by kind, in place of 005's. Every listing reads
-- one index range per kind, newest first, and merges them (a UNION ALL of
-- ordered, limited branches: a Merge Append): over the kinds of \`types\`, or
-- over every kind when the listing names none. So a page reads at most
-- \`limit\` entries per kind, however rare the kind is, instead of the
-- panel's, account's or whole trail's events one by one.
-- On a trail of 2.2 million events, a panel of a million listed for a kind it
-- does not hold: 148-214 ms (a sequential scan) before, 0.03 ms after.
-- The (account_id, type, at) index also serves cleanup's failed logins
-- without an account (account_id IS NULL); the (type, at) index serves
-- cleanup by age (type = ANY(every kind) AND at < cutoff).
CREATE INDEX audit_events_by_panel_type
  ON {{schema}}.audit_events (panel_id, type, at DESC, id DESC);
CREATE INDEX audit_events_by_account_type
  ON {{schema}}.audit_events (account_id, type, at DESC, id DESC);
CREATE INDEX audit_events_by_type
  ON {{schema}}.audit_events (type, at DESC, id DESC);
-- 005's indexes by (panel_id | account_id, at) and by (at) go: the indexes
-- by kind serve every listing and the cleanup, and each audit INSERT (one
-- per login step, in the login's transaction) writing six index entries
-- besides the primary key instead of three made a login measurably slower
-- (docs/benchmarks.md, figure 15). Each listing without \`types\` is now a
-- merge of one range per kind (26 kinds today), still at most \`limit\` rows
-- each, and an index range per kind costs a few buffer reads.
DROP INDEX {{schema}}.audit_events_by_panel;
DROP INDEX {{schema}}.audit_events_by_account;
DROP INDEX {{schema}}.audit_events_by_time;
-- CREATE INDEX (in migrate's transaction) blocks writes to audit_events while
-- it builds: about 3 s per index per 2 million events.
`,
};
