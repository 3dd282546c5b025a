import { type DateTime, Duration } from "luxon";
import { describe, expect, it } from "vitest";
import type { AccountRecord } from "../domain/account.js";
import type { LinkPurpose } from "../domain/one-time-link.js";
import type { CleanupOptions, CleanupReport } from "../ports/cleanup.js";
import type { StoragePort, StorageTx } from "../ports/storage.js";
import type { ThrottleStore } from "../ports/throttle.js";
import {
  aLink,
  aMembership,
  aMessage,
  anAccount,
  aPanel,
  aRememberedBrowser,
  aSession,
  T0,
  uniqueId,
} from "./records.js";

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
const NOW = T0.plus({ days: 90 });
const daysAgo = (days: number) => NOW.minus({ days });
const NOTHING: CleanupReport = {
  links: 0,
  sessions: 0,
  rememberedBrowsers: 0,
  sentMail: 0,
  throttleCounters: 0,
};

/** A link of `purpose` that stopped working at `expiresAt` (issued a week before). */
function linkExpiring(account: AccountRecord, expiresAt: DateTime, purpose: LinkPurpose, n = 1) {
  const sequence = purpose === "loginChallenge" ? 0 : n;
  return aLink(account.id, {
    purpose,
    sequence,
    issuedAt: expiresAt.minus({ days: 7 }),
    expiresAt,
  });
}

/**
 * What every store's cleanup deletes and keeps, the same on every adapter:
 * `cleanup(driver, options)` on PostgreSQL, `MemoryStore.cleanup(options)`.
 * Call it at the top level of a vitest test file.
 */
export function runCleanupContract(name: string, factory: CleanupFactory): void {
  /** A fresh store with one account in it; `write` adds records in one unit of work. */
  async function subjectWithAccount() {
    const subject = await factory.create();
    const account = anAccount();
    const write = (work: (tx: StorageTx) => Promise<unknown>) =>
      subject.store.transact({ accounts: [account.email] }, work);
    await write((tx) => tx.createAccount(account));
    const read = <T>(work: (tx: StorageTx) => Promise<T>) => subject.store.transact({}, work);
    return { ...subject, account, write, read };
  }

  describe(`cleanup contract: ${name}`, () => {
    it("ACC-8, cleanup: a link expired more than keepLinksFor (30 days) ago goes, one expired 30 days ago or less stays, for invitations, resets and login challenges alike", async () => {
      const { account, write, read, cleanup } = await subjectWithAccount();
      const purposes: LinkPurpose[] = ["invitation", "passwordReset", "loginChallenge"];
      const gone = purposes.map((p) =>
        linkExpiring(account, daysAgo(30).minus({ milliseconds: 1 }), p, 1),
      );
      const kept = purposes.flatMap((p) => [
        linkExpiring(account, daysAgo(30), p, 2),
        linkExpiring(account, daysAgo(29), p, 3),
      ]);
      await write(async (tx) => {
        for (const link of [...gone, ...kept]) await tx.createLink(link);
      });
      expect(await cleanup({ now: NOW })).toEqual({ ...NOTHING, links: 3 });
      await read(async (tx) => {
        for (const link of gone) expect(await tx.findLink(link.id)).toBeNull();
        for (const link of kept) expect(await tx.findLink(link.id)).not.toBeNull();
      });
    });

    it("ACC-8, cleanup: a link used more than 30 days ago goes though it expires later; one used 29 days ago stays, as does an open one", async () => {
      const { account, write, read, cleanup } = await subjectWithAccount();
      const later = NOW.plus({ days: 10 });
      const used31 = { ...linkExpiring(account, later, "invitation", 1), consumedAt: daysAgo(31) };
      const used29 = { ...linkExpiring(account, later, "invitation", 2), consumedAt: daysAgo(29) };
      const open = linkExpiring(account, later, "invitation", 3);
      await write(async (tx) => {
        for (const link of [used31, used29, open]) await tx.createLink(link);
      });
      expect(await cleanup({ now: NOW })).toEqual({ ...NOTHING, links: 1 });
      await read(async (tx) => {
        expect(await tx.findLink(used31.id)).toBeNull();
        expect(await tx.findLink(used29.id)).not.toBeNull();
        expect(await tx.findLink(open.id)).not.toBeNull();
      });
    });

    it("ACC-8, MAIL-2, cleanup: keepLinksFor sets how long dead links and sent mail are kept", async () => {
      const { account, write, read, cleanup } = await subjectWithAccount();
      const gone = linkExpiring(account, daysAgo(8), "passwordReset", 1);
      const kept = linkExpiring(account, daysAgo(6), "passwordReset", 2);
      const sent = (days: number) =>
        aMessage(account.id, { status: "sent", sentAt: daysAgo(days), payload: null, attempts: 1 });
      const [sentGone, sentKept] = [sent(8), sent(6)];
      await write(async (tx) => {
        for (const link of [gone, kept]) await tx.createLink(link);
        for (const message of [sentGone, sentKept]) await tx.enqueueMail(message);
      });
      expect(await cleanup({ now: NOW, keepLinksFor: { days: 7 } })).toEqual({
        ...NOTHING,
        links: 1,
        sentMail: 1,
      });
      await read(async (tx) => {
        expect(await tx.findLink(gone.id)).toBeNull();
        expect(await tx.findLink(kept.id)).not.toBeNull();
        expect((await tx.listMail("sent", 10)).map((m) => m.id)).toEqual([sentKept.id]);
      });
    });

    it("SES-1, cleanup: a session goes at its absolute expiry; one that expires later stays, however long unused", async () => {
      const { account, write, read, cleanup } = await subjectWithAccount();
      const ended = aSession(account.id, { expiresAt: NOW.minus({ hours: 1 }) });
      const endsNow = aSession(account.id, { expiresAt: NOW });
      const idle = aSession(account.id, { createdAt: daysAgo(80), lastUsedAt: daysAgo(80) });
      const live = { ...idle, id: uniqueId("ses"), expiresAt: NOW.plus({ milliseconds: 1 }) };
      await write(async (tx) => {
        for (const session of [ended, endsNow, live]) await tx.createSession(session);
      });
      expect(await cleanup({ now: NOW })).toEqual({ ...NOTHING, sessions: 2 });
      await read(async (tx) => {
        expect(await tx.findSession(ended.id)).toBeNull();
        expect(await tx.findSession(endsNow.id)).toBeNull();
        expect(await tx.findSession(live.id)).not.toBeNull();
      });
    });

    it("TFA-7, cleanup: a remembered browser goes at its expiry; one that expires later stays", async () => {
      const { account, write, read, cleanup } = await subjectWithAccount();
      const expired = aRememberedBrowser(account.id, { expiresAt: NOW.minus({ days: 1 }) });
      const expiresNow = aRememberedBrowser(account.id, { expiresAt: NOW });
      const live = aRememberedBrowser(account.id, { expiresAt: NOW.plus({ milliseconds: 1 }) });
      await write(async (tx) => {
        for (const browser of [expired, expiresNow, live])
          await tx.createRememberedBrowser(browser);
      });
      expect(await cleanup({ now: NOW })).toEqual({ ...NOTHING, rememberedBrowsers: 2 });
      await read(async (tx) => {
        const left = await tx.listRememberedBrowsers(account.id);
        expect(left.map((browser) => browser.id)).toEqual([live.id]);
      });
    });

    it("MAIL-2, cleanup: sent mail goes more than 30 days after it was sent; pending and failed mail never goes", async () => {
      const { account, write, read, cleanup } = await subjectWithAccount();
      const longAgo = {
        createdAt: T0.minus({ days: 365 }),
        nextAttemptAt: T0.minus({ days: 365 }),
      };
      const sent = (sentAt: DateTime) =>
        aMessage(account.id, { ...longAgo, status: "sent", sentAt, payload: null, attempts: 1 });
      const gone = sent(daysAgo(30).minus({ milliseconds: 1 }));
      const kept = [sent(daysAgo(30)), sent(daysAgo(29))];
      const pending = aMessage(account.id, longAgo);
      const failed = aMessage(account.id, {
        ...longAgo,
        status: "failed",
        attempts: 8,
        lastError: "SMTP_REJECTED",
      });
      await write(async (tx) => {
        for (const message of [gone, ...kept, pending, failed]) await tx.enqueueMail(message);
      });
      expect(await cleanup({ now: NOW })).toEqual({ ...NOTHING, sentMail: 1 });
      await read(async (tx) => {
        const ids = async (status: "sent" | "pending" | "failed") =>
          (await tx.listMail(status, 10)).map((m) => m.id).sort();
        expect(await ids("sent")).toEqual(kept.map((m) => m.id).sort());
        expect(await ids("pending")).toEqual([pending.id]);
        expect(await ids("failed")).toEqual([failed.id]);
      });
    });

    it("LCK-9, cleanup: throttle counters decayed below 0.01 go, each by its own half-life; one changed after now stays", async () => {
      const { throttle, cleanup } = await factory.create();
      const [short, long, ahead] = [uniqueId("short"), uniqueId("long"), uniqueId("ahead")];
      const hour = Duration.fromObject({ hours: 1 });
      const month = Duration.fromObject({ days: 30 });
      const now = T0.plus({ days: 1 });
      await throttle.add(
        [
          { key: short, amount: 5, halfLife: hour }, // 5 · 2^-24 by now: gone
          { key: long, amount: 5, halfLife: month }, // 5 · 2^(-1/30): kept
        ],
        T0,
      );
      // changed "after" the cleanup's now (another instance's clock is ahead): no time has passed for it
      await throttle.add([{ key: ahead, amount: 1, halfLife: hour }], now.plus({ days: 1 }));
      expect(await cleanup({ now })).toEqual({ ...NOTHING, throttleCounters: 1 });
      expect(await cleanup({ now })).toEqual(NOTHING);
      // what went starts again from nothing; what stayed kept its count
      expect(await throttle.add([{ key: short, amount: 1, halfLife: hour }], now)).toEqual([1]);
      const [kept] = await throttle.add([{ key: long, amount: 0, halfLife: month }], now);
      expect(kept).toBeCloseTo(5 * 2 ** (-1 / 30), 6);
      expect(await throttle.add([{ key: ahead, amount: 0, halfLife: hour }], now)).toEqual([1]);
    });

    it("cleanup never deletes accounts, panels, memberships, TOTP steps or backup codes (a bounded number per account)", async () => {
      const { account, write, read, cleanup } = await subjectWithAccount();
      const panel = aPanel();
      const [usedCode, unusedCode] = ["a1".repeat(32), "b2".repeat(32)];
      await write(async (tx) => {
        await tx.createPanel(panel);
        await tx.putMembership(aMembership(account.id, panel.id));
        await tx.acceptTotpStep(account.id, 100);
        await tx.replaceBackupCodes(
          account.id,
          [usedCode, unusedCode].map((codeHash) => ({
            accountId: account.id,
            codeHash,
            createdAt: T0,
            usedAt: null,
          })),
        );
        await tx.consumeBackupCode(account.id, usedCode, T0);
      });
      expect(await cleanup({ now: T0.plus({ years: 10 }) })).toEqual(NOTHING);
      await read(async (tx) => {
        expect(await tx.findAccountById(account.id)).not.toBeNull();
        expect(await tx.findPanel(panel.id)).not.toBeNull();
        expect(await tx.findMembership(account.id, panel.id)).not.toBeNull();
        expect(await tx.countUnusedBackupCodes(account.id)).toBe(1);
      });
      // TFA-10: the last accepted step is still known, so its code is still refused
      expect(await write((tx) => tx.acceptTotpStep(account.id, 100))).toBe(false);
    });

    it("cleanup answers how many records of each kind went, and a second run deletes nothing", async () => {
      const { account, write, cleanup, throttle } = await subjectWithAccount();
      await write(async (tx) => {
        await tx.createLink(linkExpiring(account, daysAgo(31), "invitation"));
        await tx.createLink(linkExpiring(account, NOW.plus({ days: 1 }), "passwordReset"));
        await tx.createSession(aSession(account.id, { expiresAt: daysAgo(1) }));
        await tx.createSession(aSession(account.id, { expiresAt: NOW.plus({ days: 1 }) }));
        await tx.createRememberedBrowser(aRememberedBrowser(account.id, { expiresAt: daysAgo(1) }));
        await tx.enqueueMail(
          aMessage(account.id, { status: "sent", sentAt: daysAgo(31), payload: null }),
        );
        await tx.enqueueMail(aMessage(account.id));
      });
      await throttle.add(
        [{ key: uniqueId("t"), amount: 1, halfLife: Duration.fromObject({ hours: 1 }) }],
        T0,
      );
      const everyKindOnce = {
        links: 1,
        sessions: 1,
        rememberedBrowsers: 1,
        sentMail: 1,
        throttleCounters: 1,
      };
      expect(await cleanup({ now: NOW })).toEqual(everyKindOnce);
      expect(await cleanup({ now: NOW })).toEqual(NOTHING);
    });

    it("ACC-8, cleanup: a dead link a unit of work holds at that moment is never deleted under it: both finish, and the link goes exactly once, by the next run at the latest", async () => {
      const { account, write, read, cleanup } = await subjectWithAccount();
      const link = linkExpiring(account, daysAgo(40), "invitation");
      await write((tx) => tx.createLink(link));
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let holding = () => {};
      const held = new Promise<void>((resolve) => {
        holding = resolve;
      });
      const unit = write(async (tx) => {
        const consumed = await tx.consumeOpenLinks(account.id, "invitation", NOW);
        holding();
        await gate;
        return consumed;
      });
      await held;
      // PostgreSQL's DELETE waits for the row lock; the memory store passes the row over
      const during = cleanup({ now: NOW });
      release();
      expect(await unit).toBe(1);
      const first = await during;
      const second = await cleanup({ now: NOW });
      expect(first.links + second.links).toBe(1);
      expect(await read((tx) => tx.findLink(link.id))).toBeNull();
    });
  });
}
