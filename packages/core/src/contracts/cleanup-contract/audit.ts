import { Duration } from "luxon";
import { expect, it } from "vitest";
import { anAuditEvent, uniqueId } from "../../testing/records.js";
import { type CleanupFactory, daysAgo, NOTHING, NOW, subjectWithAccount } from "./subject.js";

/** AUD-2: the audit trail is kept for `keepAuditEventsFor`, then deleted. */
export function runAuditCleanupContract(factory: CleanupFactory): void {
  it("AUD-2, cleanup: audit events older than keepAuditEventsFor go (365 days by default); one exactly at the cut-off and younger ones stay", async () => {
    const { account, write, read, cleanup } = await subjectWithAccount(factory);
    const panelId = uniqueId("pnl");
    const event = (days: number) =>
      anAuditEvent(panelId, { at: daysAgo(days), accountId: account.id });
    const [old, atCutoff, month, recent] = [event(366), event(365), event(31), event(10)];
    await write((tx) => tx.appendAuditEvents([old, atCutoff, month, recent]));
    const left = () =>
      read(async (tx) => (await tx.listAuditEvents({ panelId, limit: 10 })).map((e) => e.id));
    const ids = (...events: { readonly id: string }[]) => events.map((e) => e.id);

    expect(await cleanup({ now: NOW })).toEqual({ ...NOTHING, auditEvents: 1 });
    expect(await left()).toEqual(ids(recent, month, atCutoff));
    // As the library's `audit.keepFor` is: a luxon Duration.
    const keepAuditEventsFor = Duration.fromObject({ days: 30 });
    expect(await cleanup({ now: NOW, keepAuditEventsFor })).toEqual({ ...NOTHING, auditEvents: 2 });
    expect(await left()).toEqual(ids(recent));
    expect(await cleanup({ now: NOW, keepAuditEventsFor })).toEqual(NOTHING);
  });

  it("AUD-2, cleanup: a failed login for an e-mail no account has goes after keepFailedLoginsWithoutAccountFor (30 days by default); failed logins of an account and other events without one stay for the trail's retention", async () => {
    const { account, write, read, cleanup } = await subjectWithAccount(factory);
    const panelId = uniqueId("pnl");
    const failedLogin = (days: number, accountId: string | null) => {
      const at = daysAgo(days);
      const actor = { type: "anonymous" } as const;
      return anAuditEvent(panelId, {
        at,
        type: "login.failed",
        actor,
        accountId,
        event: {
          type: "login.failed",
          at: at.toISO() ?? "",
          actor,
          accountId,
          email: "someone-typed-this@example.com",
          reason: accountId === null ? "unknownAccount" : "wrongPassword",
        },
      });
    };
    const unknownOld = failedLogin(31, null);
    const unknownAtCutoff = failedLogin(30, null);
    const unknownRecent = failedLogin(29, null);
    const knownOld = failedLogin(200, account.id);
    // An event about no account that is not a failed login (a panel created, say): the full retention.
    const noAccount = anAuditEvent(panelId, { at: daysAgo(201), accountId: null });
    const unknownOlder = failedLogin(60, null);
    await write((tx) =>
      tx.appendAuditEvents([
        unknownOlder,
        unknownOld,
        unknownAtCutoff,
        unknownRecent,
        knownOld,
        noAccount,
      ]),
    );
    const left = () =>
      read(async (tx) => (await tx.listAuditEvents({ panelId, limit: 10 })).map((e) => e.id));
    const ids = (...events: { readonly id: string }[]) => events.map((e) => e.id);

    expect(await cleanup({ now: NOW })).toEqual({ ...NOTHING, auditEvents: 2 });
    expect(await left()).toEqual(ids(unknownRecent, unknownAtCutoff, knownOld, noAccount));
    const keepFailedLoginsWithoutAccountFor = Duration.fromObject({ days: 7 });
    expect(await cleanup({ now: NOW, keepFailedLoginsWithoutAccountFor })).toEqual({
      ...NOTHING,
      auditEvents: 2,
    });
    expect(await left()).toEqual(ids(knownOld, noAccount));
    // The trail's own retention comes first, also for these: a shorter one takes them all.
    const keepAuditEventsFor = Duration.fromObject({ days: 100 });
    expect(await cleanup({ now: NOW, keepAuditEventsFor })).toEqual({ ...NOTHING, auditEvents: 2 });
    expect(await left()).toEqual([]);
  });
}
