import { Duration } from "luxon";
import { expect, it } from "vitest";
import { silentLogger } from "../../ports/logger.js";
import { RecordingLogger } from "../../testing/doubles/recording-logger.js";
import {
  aMembership,
  aMessage,
  anAuditEvent,
  aPanel,
  aRememberedBrowser,
  aSession,
  T0,
  uniqueId,
} from "../../testing/records.js";
import {
  type CleanupFactory,
  daysAgo,
  linkExpiring,
  NOTHING,
  NOW,
  subjectWithAccount,
} from "./subject.js";

/** What a cleanup never deletes, and what it answers. */
export function runCleanupReportContract(factory: CleanupFactory): void {
  it("cleanup never deletes accounts, panels, memberships, TOTP steps or backup codes (a bounded number per account)", async () => {
    const { account, write, read, cleanup } = await subjectWithAccount(factory);
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
    const { account, write, cleanup, throttle } = await subjectWithAccount(factory);
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
      await tx.appendAuditEvents([
        anAuditEvent(uniqueId("pnl"), { at: daysAgo(366), accountId: account.id }),
        anAuditEvent(uniqueId("pnl"), { at: daysAgo(364), accountId: account.id }),
      ]);
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
      auditEvents: 1,
    };
    expect(await cleanup({ now: NOW })).toEqual(everyKindOnce);
    expect(await cleanup({ now: NOW })).toEqual(NOTHING);
  });

  it("AUD-2, cleanup: it logs one info line with the count of each kind it deleted, the audit retentions it applied and its duration in ms; never an e-mail or an id", async () => {
    const { account, write, cleanup } = await subjectWithAccount(factory);
    const panelId = uniqueId("pnl");
    await write(async (tx) => {
      await tx.createSession(aSession(account.id, { expiresAt: daysAgo(1) }));
      await tx.appendAuditEvents([
        anAuditEvent(panelId, { at: daysAgo(100), accountId: account.id }),
        anAuditEvent(panelId, { at: daysAgo(10), accountId: account.id }),
      ]);
    });
    const logger = new RecordingLogger();
    const keepAuditEventsFor = Duration.fromObject({ days: 90 });
    const report = await cleanup({ now: NOW, keepAuditEventsFor, logger });
    expect(report).toEqual({ ...NOTHING, sessions: 1, auditEvents: 1 });
    expect(logger.lines).toHaveLength(1);
    const [line] = logger.lines;
    expect(line).toMatchObject({
      level: "info",
      message: "cleanup done",
      fields: { ...report, auditRetentionDays: 90, failedLoginsWithoutAccountRetentionDays: 30 },
    });
    expect(line?.fields.durationMs).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(line?.fields.durationMs)).toBe(true);
    const written = JSON.stringify(logger.lines);
    for (const secret of [account.email, account.id, panelId])
      expect(written).not.toContain(secret);
    // A logger that throws changes nothing.
    const throwing = {
      ...silentLogger,
      info: () => {
        throw new Error("logger down");
      },
    };
    expect(await cleanup({ now: NOW, logger: throwing })).toEqual(NOTHING);
  });
}
