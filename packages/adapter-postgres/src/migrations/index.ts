import { migration as initial } from "./001_initial.js";
import { migration as mailOutbox } from "./002_mail_outbox.js";
import { migration as securityNotices } from "./003_security_notices.js";
import { migration as throttle } from "./004_throttle.js";
import { migration as audit } from "./005_audit.js";
import { migration as auditByType } from "./006_audit_by_type.js";
import type { Migration } from "./migration.js";

export { type Migration, sqlOf } from "./migration.js";

/** Every migration the package ships, in the order they apply (ascending versions). */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  mailOutbox,
  securityNotices,
  throttle,
  audit,
  auditByType,
];
