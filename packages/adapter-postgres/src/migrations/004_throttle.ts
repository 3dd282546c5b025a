import type { Migration } from "./migration.js";

/** Migration 4, recorded in `schema_migrations` as "004_throttle.sql" (its file name before the SQL was compiled in). */
export const migration: Migration = {
  version: 4,
  name: "004_throttle.sql",
  sql: `-- LCK-9: throttle counters, shared by every application instance
-- (PostgresThrottleStore). A counter's value halves every half_life_ms since
-- updated_at; the key is opaque (the core hashes e-mail addresses into it).
-- cleanup() deletes counters that have decayed below 0.01. The keys sort in
-- "C" order: the order in which an add locks them, on every instance alike.
-- Rows are updated in place at every attempt: the free space of fillfactor 70
-- lets those updates stay on their page (HOT, no index churn).
CREATE TABLE {{schema}}.throttle_counters (
  key          text COLLATE "C" PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 512),
  -- finite and never negative (NaN and infinities fail the upper bound)
  value        double precision NOT NULL CHECK (value >= 0 AND value < 'Infinity'),
  half_life_ms double precision NOT NULL CHECK (half_life_ms > 0 AND half_life_ms < 'Infinity'),
  updated_at   timestamptz NOT NULL
) WITH (fillfactor = 70);
`,
};
