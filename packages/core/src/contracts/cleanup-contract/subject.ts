import type { DateTime } from "luxon";
import type { AccountRecord } from "../../domain/account.js";
import type { LinkPurpose } from "../../domain/one-time-link.js";
import type { CleanupOptions, CleanupReport } from "../../ports/cleanup.js";
import type { StoragePort, StorageTx } from "../../ports/storage.js";
import type { ThrottleStore } from "../../ports/throttle.js";
import { aLink, anAccount, T0 } from "../../testing/records.js";

/** One store under test, its cleanup, and the throttle store that cleanup forgets counters of. */
export interface CleanupSubject {
  readonly store: StoragePort;
  /** The store's cleanup: `(o) => cleanup(driver, { ...o, schema })`, `(o) => store.cleanup({ ...o, throttle })`. */
  cleanup(options: CleanupOptions): Promise<CleanupReport>;
  /** LCK-9: the throttle store whose decayed counters `cleanup` deletes. */
  readonly throttle: ThrottleStore;
}

/** How the cleanup contract gets a store to test. */
export interface CleanupFactory {
  /**
   * A store over an empty database (a fresh schema, a fresh instance) with
   * its cleanup: each test counts what a cleanup reports, so the store must
   * hold nothing but that test's records.
   */
  create(): CleanupSubject | Promise<CleanupSubject>;
}

/** When the contract's cleanups run; the records are placed relative to it. */
export const NOW = T0.plus({ days: 90 });
export const daysAgo = (days: number) => NOW.minus({ days });
/** The report of a cleanup that deleted nothing. */
export const NOTHING: CleanupReport = {
  links: 0,
  sessions: 0,
  rememberedBrowsers: 0,
  sentMail: 0,
  throttleCounters: 0,
  auditEvents: 0,
};

/** A link of `purpose` that stopped working at `expiresAt` (issued a week before). */
export function linkExpiring(
  account: AccountRecord,
  expiresAt: DateTime,
  purpose: LinkPurpose,
  n = 1,
) {
  const sequence = purpose === "loginChallenge" ? 0 : n;
  return aLink(account.id, {
    purpose,
    sequence,
    issuedAt: expiresAt.minus({ days: 7 }),
    expiresAt,
  });
}

/** A fresh subject with one account in it; `write` adds records in one unit of work, `read` reads. */
export async function subjectWithAccount(factory: CleanupFactory) {
  const subject = await factory.create();
  const account = anAccount();
  const write = (work: (tx: StorageTx) => Promise<unknown>) =>
    subject.store.transact({ accounts: [account.email] }, work);
  await write((tx) => tx.createAccount(account));
  const read = <T>(work: (tx: StorageTx) => Promise<T>) => subject.store.transact({}, work);
  return { ...subject, account, write, read };
}
