-- MAIL-3 (rules version 2): the security notices go through the outbox like
-- every message, so the outbox accepts their kinds.
ALTER TABLE {{schema}}.mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE {{schema}}.mail_outbox ADD CONSTRAINT mail_outbox_kind_check
  CHECK (kind IN ('invitation', 'accessRestored', 'passwordReset', 'accountLocked',
                  'accountBlocked', 'twoFactorReset', 'accessGranted', 'passwordChanged',
                  'twoFactorEnabled', 'backupCodesRegenerated', 'browserRemembered'));
