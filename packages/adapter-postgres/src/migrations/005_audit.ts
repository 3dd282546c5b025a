import type { Migration } from "./migration.js";

/** Migration 5, recorded in `schema_migrations` as "005_audit.sql" (its file name before the SQL was compiled in). */
export const migration: Migration = {
  version: 5,
  name: "005_audit.sql",
  sql: `-- AUD-2: the durable audit trail. Each domain event is written in the
-- transaction of the change it records (one INSERT for all of a unit of
-- work's events), so a rollback leaves none. Listed newest first by
-- (at, id); ids sort in "C" order, as the core's memory store compares them.
-- cleanup() deletes events older than keepAuditEventsFor.
CREATE TABLE {{schema}}.audit_events (
  id         text COLLATE "C" PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
  at         timestamptz NOT NULL,
  type       text NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
  -- who caused it: {"type": "account", "accountId": …}, "operator", "system" or "anonymous"
  actor      jsonb NOT NULL,
  -- no foreign keys: the trail outlives what it mentions, and a failed login
  -- names no account
  account_id text,
  panel_id   text,
  -- the domain event as JSON: never a secret (AUD-1)
  event      jsonb NOT NULL
);
-- A panel's administrators (listPanelActivity), a person (listSecurityActivity),
-- and the support team (listAllActivity, and cleanup by age).
CREATE INDEX audit_events_by_panel ON {{schema}}.audit_events (panel_id, at DESC, id DESC);
CREATE INDEX audit_events_by_account ON {{schema}}.audit_events (account_id, at DESC, id DESC);
CREATE INDEX audit_events_by_time ON {{schema}}.audit_events (at DESC, id DESC);
`,
};
