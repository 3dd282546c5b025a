import type { Migration } from "./migration.js";

/** Migration 2, recorded in `schema_migrations` as "002_mail_outbox.sql" (its file name before the SQL was compiled in). */
export const migration: Migration = {
  version: 2,
  name: "002_mail_outbox.sql",
  sql: `-- MAIL-2: the outbox. A message is written in the transaction of the state
-- change it reports; a dispatcher claims, sends and settles it.
CREATE TABLE {{schema}}.mail_outbox (
  id              text PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('invitation', 'accessRestored', 'passwordReset',
                                                'accountLocked', 'accountBlocked', 'twoFactorReset')),
  account_id      text NOT NULL REFERENCES {{schema}}.accounts (id) ON DELETE CASCADE,
  -- The sealed intent (it holds a live link); erased once sent.
  payload         text,
  status          text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        integer NOT NULL CHECK (attempts >= 0),
  created_at      timestamptz NOT NULL,
  next_attempt_at timestamptz NOT NULL,
  claimed_until   timestamptz,
  claim_id        text,
  sent_at         timestamptz,
  last_error      text CHECK (length(last_error) <= 64),
  CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
  CHECK (status = 'sent' OR payload IS NOT NULL),
  CHECK ((claimed_until IS NULL) = (claim_id IS NULL))
);
-- What the dispatcher claims: due pending messages, oldest first.
CREATE INDEX mail_outbox_due ON {{schema}}.mail_outbox (created_at, id) WHERE status = 'pending';
CREATE INDEX mail_outbox_by_status ON {{schema}}.mail_outbox (status, created_at);
CREATE INDEX mail_outbox_by_account ON {{schema}}.mail_outbox (account_id);
`,
};
