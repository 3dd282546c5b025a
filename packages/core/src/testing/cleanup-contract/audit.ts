import { Duration } from "luxon";
import { expect, it } from "vitest";
import { anAuditEvent, uniqueId } from "../records.js";
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
}
