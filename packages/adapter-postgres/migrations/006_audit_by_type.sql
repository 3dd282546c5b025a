-- AUD-2: listings filtered by kind (`types`). The store reads one index range
-- per kind, newest first, and merges them (a UNION ALL of ordered, limited
-- branches: a Merge Append), so a page reads at most `limit` entries per kind
-- however rare the kind is, instead of the panel's, account's or whole
-- trail's events one by one. The (account_id, type, at) index also serves
-- cleanup's failed logins without an account (account_id IS NULL).
-- On a trail of 2.2 million events, a panel of a million listed for a kind it
-- does not hold: 148-214 ms (a sequential scan) before, 0.03 ms after.
-- CREATE INDEX (in migrate's transaction) blocks writes to audit_events while
-- it builds: about 3 s per index per 2 million events.
CREATE INDEX audit_events_by_panel_type
  ON {{schema}}.audit_events (panel_id, type, at DESC, id DESC);
CREATE INDEX audit_events_by_account_type
  ON {{schema}}.audit_events (account_id, type, at DESC, id DESC);
CREATE INDEX audit_events_by_type
  ON {{schema}}.audit_events (type, at DESC, id DESC);
