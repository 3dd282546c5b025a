import type { Migration } from "./migration.js";

/** Migration 1, recorded in `schema_migrations` as "001_initial.sql" (its file name before the SQL was compiled in). */
export const migration: Migration = {
  version: 1,
  name: "001_initial.sql",
  sql: `-- panel-access schema, version 1. {{schema}} is the configured schema, quoted.

CREATE TABLE {{schema}}.accounts (
  id                   text PRIMARY KEY,
  email                text NOT NULL UNIQUE CHECK (email = lower(email) AND email = btrim(email)),
  created_at           timestamptz NOT NULL,
  password_hash        text,
  registered_at        timestamptz,
  consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
  consecutive_locks    integer NOT NULL DEFAULT 0 CHECK (consecutive_locks >= 0),
  locked_at            timestamptz,
  blocked_at           timestamptz,
  two_factor_status    text CHECK (two_factor_status IN ('pending', 'enrolled')),
  sealed_secret        text,
  two_factor_since     timestamptz,
  -- registered exactly when a password is set (ACC-6)
  CHECK ((password_hash IS NULL) = (registered_at IS NULL)),
  -- a blocked account is also locked (LCK-5)
  CHECK (blocked_at IS NULL OR locked_at IS NOT NULL),
  -- an enrolment always has its sealed secret and its date (TFA-11)
  CHECK ((two_factor_status IS NULL) = (sealed_secret IS NULL)),
  CHECK ((two_factor_status IS NULL) = (two_factor_since IS NULL))
);

CREATE TABLE {{schema}}.panels (
  id          text PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  sso_enabled boolean NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE {{schema}}.memberships (
  account_id  text NOT NULL REFERENCES {{schema}}.accounts (id) ON DELETE CASCADE,
  panel_id    text NOT NULL REFERENCES {{schema}}.panels (id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (length(role) BETWEEN 1 AND 64),
  access_type text NOT NULL CHECK (access_type IN ('permanent', 'temporary')),
  ends_at     timestamptz,
  granted_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (account_id, panel_id),
  -- temporary access always ends, permanent never (PNL-1)
  CHECK ((access_type = 'temporary') = (ends_at IS NOT NULL))
);
CREATE INDEX memberships_by_panel ON {{schema}}.memberships (panel_id);

CREATE TABLE {{schema}}.links (
  id          text PRIMARY KEY,
  account_id  text NOT NULL REFERENCES {{schema}}.accounts (id) ON DELETE CASCADE,
  purpose     text NOT NULL CHECK (purpose IN ('invitation', 'passwordReset', 'loginChallenge')),
  sequence    integer NOT NULL CHECK (sequence >= 0),
  secret_hash text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
  panel_id    text REFERENCES {{schema}}.panels (id) ON DELETE SET NULL,
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL CHECK (expires_at > issued_at),
  consumed_at timestamptz,
  -- chained links: 1, 2, 3… per account and purpose; challenges use 0 (ACC-4, PWD-3)
  CHECK ((purpose = 'loginChallenge') = (sequence = 0))
);
CREATE UNIQUE INDEX links_chain ON {{schema}}.links (account_id, purpose, sequence) WHERE sequence > 0;
CREATE INDEX links_open_by_account ON {{schema}}.links (account_id, purpose) WHERE consumed_at IS NULL;
CREATE INDEX links_by_expiry ON {{schema}}.links (expires_at);

CREATE TABLE {{schema}}.sessions (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES {{schema}}.accounts (id) ON DELETE CASCADE,
  secret_hash  text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
  method       text NOT NULL CHECK (method IN ('local', 'sso')),
  created_at   timestamptz NOT NULL,
  last_used_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL CHECK (expires_at > created_at)
);
CREATE INDEX sessions_by_account ON {{schema}}.sessions (account_id);
CREATE INDEX sessions_by_expiry ON {{schema}}.sessions (expires_at);

CREATE TABLE {{schema}}.totp_steps (
  account_id text PRIMARY KEY REFERENCES {{schema}}.accounts (id) ON DELETE CASCADE,
  last_step  bigint NOT NULL
);

CREATE TABLE {{schema}}.backup_codes (
  account_id text NOT NULL REFERENCES {{schema}}.accounts (id) ON DELETE CASCADE,
  code_hash  text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$' OR length(code_hash) BETWEEN 1 AND 128),
  created_at timestamptz NOT NULL,
  used_at    timestamptz,
  PRIMARY KEY (account_id, code_hash)
);

CREATE TABLE {{schema}}.remembered_browsers (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES {{schema}}.accounts (id) ON DELETE CASCADE,
  secret_hash  text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
  label        text CHECK (length(label) <= 100),
  created_at   timestamptz NOT NULL,
  last_used_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL
);
CREATE INDEX remembered_browsers_by_account ON {{schema}}.remembered_browsers (account_id);
CREATE INDEX remembered_browsers_by_expiry ON {{schema}}.remembered_browsers (expires_at);
`,
};
