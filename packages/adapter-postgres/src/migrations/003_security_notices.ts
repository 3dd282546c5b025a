import type { Migration } from "./migration.js";

/** Migration 3, recorded in `schema_migrations` as "003_security_notices.sql" (its file name before the SQL was compiled in). */
export const migration: Migration = {
  version: 3,
  name: "003_security_notices.sql",
  sql: `-- MAIL-3 (rules version 2): the security notices go through the outbox like
-- every message, so the outbox accepts their kinds.
ALTER TABLE {{schema}}.mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE {{schema}}.mail_outbox ADD CONSTRAINT mail_outbox_kind_check
  CHECK (kind IN ('invitation', 'accessRestored', 'passwordReset', 'accountLocked',
                  'accountBlocked', 'twoFactorReset', 'accessGranted', 'passwordChanged',
                  'twoFactorEnabled', 'backupCodesRegenerated', 'browserRemembered'));
`,
};
