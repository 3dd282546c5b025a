import type {
  AccountRecord,
  AuditEventRecord,
  BackupCodeRecord,
  LinkPurpose,
  MembershipRecord,
  OneTimeLinkRecord,
  OutboxMessageRecord,
  PanelRecord,
  RememberedBrowserRecord,
  SessionRecord,
} from "@panel-access/core";
import { Table } from "../table.js";

/** The key of the links index: one account's links of one purpose. */
export const linkKey = (accountId: string, purpose: LinkPurpose) => `${accountId}\u0000${purpose}`;

/** The committed state, with the indexes every lookup of the port uses. */
export class Tables {
  readonly accounts = new Table<AccountRecord>({ email: (account) => account.email });
  readonly panels = new Table<PanelRecord>();
  readonly memberships = new Table<MembershipRecord>({
    account: (membership) => membership.accountId,
    panel: (membership) => membership.panelId,
  });
  readonly links = new Table<OneTimeLinkRecord>({
    accountPurpose: (link) => linkKey(link.accountId, link.purpose),
  });
  readonly sessions = new Table<SessionRecord>({ account: (session) => session.accountId });
  /** Keyed by account id and code hash. */
  readonly backupCodes = new Table<BackupCodeRecord>({ account: (code) => code.accountId });
  readonly rememberedBrowsers = new Table<RememberedBrowserRecord>({
    account: (browser) => browser.accountId,
  });
  /** The last accepted TOTP step per account id. */
  readonly totpSteps = new Table<{ step: number }>();
  /** The outbox (MAIL-2). */
  readonly mail = new Table<OutboxMessageRecord>({ status: (message) => message.status });
  /** The audit trail (AUD-2). Ids are never empty: "" files the events about no panel or account. */
  readonly auditEvents = new Table<AuditEventRecord>({
    panel: (event) => event.panelId ?? "",
    account: (event) => event.accountId ?? "",
  });
}
