import { expect, it } from "vitest";
import { type AuditEventRecord, newestFirst } from "../../domain/audit.js";
import type { DomainEventType } from "../../domain/events.js";
import type { AuditQuery, StoragePort } from "../../ports/storage.js";
import { anAuditEvent, plain, T0, uniqueId } from "../../testing/records.js";

/** The ids a query lists. */
async function idsOf(store: StoragePort, query: AuditQuery): Promise<string[]> {
  return store.transact({}, async (tx) => (await tx.listAuditEvents(query)).map((e) => e.id));
}

/**
 * The audit trail (AUD-2): events commit with their unit of work or vanish
 * with it; listings are newest first by (`at`, `id`), page by `after`
 * without losing or repeating an event, and filter by panel, account, time
 * and type. Each test writes to panels of its own, so stores may be shared.
 */
export function runAuditContract(
  stores: () => Promise<[StoragePort, ...StoragePort[]]>,
  parallel: number,
): void {
  it("AUD-2: events appended in a unit of work that rejects leave nothing; committed ones are listed as written", async () => {
    const [store] = await stores();
    const panelId = uniqueId("pnl");
    const kept = [
      anAuditEvent(panelId, { minutes: 1 }),
      anAuditEvent(panelId, {
        minutes: 2,
        type: "login.failed",
        accountId: null,
        actor: { type: "anonymous" },
        event: {
          type: "login.failed",
          at: T0.plus({ minutes: 2 }).toISO() ?? "",
          actor: { type: "anonymous" },
          accountId: null,
          email: 'Ünïcode 😀 "quoted" \\ <tag>@example.com',
          reason: "unknownAccount",
        },
      }),
    ];
    const failure = new Error("rule said no");
    const rolledBack = store.transact({ panels: [panelId] }, async (tx) => {
      await tx.appendAuditEvents([anAuditEvent(panelId, { minutes: 3 })]);
      throw failure;
    });
    await expect(rolledBack).rejects.toBe(failure);
    await store.transact({ panels: [panelId] }, (tx) => tx.appendAuditEvents(kept));
    const listed = await store.transact({}, (tx) => tx.listAuditEvents({ panelId, limit: 10 }));
    expect(plain(listed)).toEqual(plain([...kept].reverse()));
  });

  it(`AUD-2: of ${parallel} parallel units of work appending events, exactly the committed ones' events are kept, all of them`, async () => {
    const all = await stores();
    const [store] = all;
    const pick = (i: number) => all[i % all.length] ?? store;
    const panelId = uniqueId("pnl");
    const outcomes = await Promise.allSettled(
      Array.from({ length: parallel }, (_, i) =>
        pick(i).transact({}, async (tx) => {
          const events = [0, 1, 2].map(() => anAuditEvent(panelId, { minutes: i }));
          await tx.appendAuditEvents(events);
          await tx.findPanel("yield-to-other-callers");
          if (i % 2 === 1) throw new Error("rolled back");
          return events.map((e) => e.id);
        }),
      ),
    );
    const committed = outcomes.flatMap((o) => (o.status === "fulfilled" ? o.value : []));
    expect(committed).toHaveLength(Math.ceil(parallel / 2) * 3);
    const listed = await idsOf(store, { panelId, limit: parallel * 3 });
    expect([...listed].sort()).toEqual([...committed].sort());
  });

  it("AUD-2: newest first by (at, id), ids compared by code unit also within one instant; pages by `after` lose and repeat nothing", async () => {
    const [store] = await stores();
    const panelId = uniqueId("pnl");
    const stem = uniqueId("aud");
    // One instant, ids that a locale-aware collation would order differently ('-' < '0' < 'A' < '_' < 'a').
    const same = ["-", "0", "A", "Z", "_", "a", "z"].map((suffix) =>
      anAuditEvent(panelId, { id: `${stem}${suffix}`, minutes: 5 }),
    );
    const earlier = anAuditEvent(panelId, { id: `${stem}~`, minutes: 4 });
    const later = anAuditEvent(panelId, { id: `${stem}later`, minutes: 6 });
    await store.transact({}, (tx) => tx.appendAuditEvents([earlier, ...same, later]));
    const expected = [later, ...[...same].reverse(), earlier].map((e) => e.id);
    expect(await idsOf(store, { panelId, limit: 20 })).toEqual(expected);

    const pages: string[][] = [];
    let after: AuditEventRecord | undefined;
    do {
      const page = await store.transact({}, (tx) =>
        tx.listAuditEvents({ panelId, limit: 3, ...(after && { after }) }),
      );
      pages.push(page.map((e) => e.id));
      after = page.length === 3 ? page[2] : undefined;
    } while (after !== undefined);
    // 9 events: three full pages, then an empty one after the last.
    expect(pages.map((page) => page.length)).toEqual([3, 3, 3, 0]);
    expect(pages.flat()).toEqual(expected);
  });

  it("AUD-2: listings filter by panel, account, time (from inclusive, to exclusive) and type", async () => {
    const [store] = await stores();
    const [panelId, otherPanel] = [uniqueId("pnl"), uniqueId("pnl")];
    const accountId = uniqueId("acc");
    const type: DomainEventType = "login.completed";
    const events = {
      at1: anAuditEvent(panelId, { minutes: 1, accountId }),
      at2: anAuditEvent(panelId, { minutes: 2 }),
      at3: anAuditEvent(panelId, { minutes: 3, accountId, type }),
      other: anAuditEvent(otherPanel, { minutes: 2, accountId }),
      none: anAuditEvent(otherPanel, { minutes: 2, accountId: null, panelId: null }),
    };
    await store.transact({}, (tx) => tx.appendAuditEvents(Object.values(events)));
    const ids = (...list: AuditEventRecord[]) => list.map((e) => e.id);
    const { at1, at2, at3, other } = events;
    expect(await idsOf(store, { panelId, limit: 10 })).toEqual(ids(at3, at2, at1));
    expect(await idsOf(store, { accountId, limit: 10 })).toEqual(ids(at3, other, at1));
    expect(await idsOf(store, { panelId, accountId, limit: 10 })).toEqual(ids(at3, at1));
    const window = { from: T0.plus({ minutes: 2 }), to: T0.plus({ minutes: 3 }) };
    expect(await idsOf(store, { panelId, ...window, limit: 10 })).toEqual(ids(at2));
    expect(await idsOf(store, { accountId, types: [type], limit: 10 })).toEqual(ids(at3));
    expect(await idsOf(store, { panelId, types: [], limit: 10 })).toEqual([]);
    expect(await idsOf(store, { panelId, limit: 2 })).toEqual(ids(at3, at2));
    // Without a panel or account: every event, here the window of this test's own instants.
    const mine = new Set(ids(...Object.values(events)));
    const everything = await idsOf(store, { ...window, limit: 100_000 });
    expect(everything.filter((id) => mine.has(id))).toEqual(
      ids(at2, other, events.none).sort().reverse(),
    );
  });

  it("AUD-2: a listing by several kinds merges them newest first, pages by `after` across kinds losing and repeating nothing, and lists an event once when its kind is named twice", async () => {
    const [store] = await stores();
    const panelId = uniqueId("pnl");
    const accountId = uniqueId("acc");
    const kinds: DomainEventType[] = [
      "membership.granted",
      "membership.removed",
      "twoFactor.reset",
    ];
    // Interleaved instants, two kinds sharing an instant, and a kind that is not asked for.
    const events = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) =>
      anAuditEvent(panelId, { minutes: Math.floor(i / 2), accountId, type: kinds[i % 3] }),
    );
    const other = anAuditEvent(panelId, { minutes: 3, accountId, type: "access.restored" });
    await store.transact({}, (tx) => tx.appendAuditEvents([...events, other]));
    const asked = [...events].sort(newestFirst).map((e) => e.id);
    const types: DomainEventType[] = [...kinds, "membership.granted"];
    for (const scope of [{ panelId }, { accountId }, { panelId, accountId }]) {
      expect(await idsOf(store, { ...scope, types, limit: 20 })).toEqual(asked);
      const pages: string[] = [];
      let after: AuditEventRecord | undefined;
      do {
        const page = await store.transact({}, (tx) =>
          tx.listAuditEvents({ ...scope, types, limit: 4, ...(after && { after }) }),
        );
        pages.push(...page.map((e) => e.id));
        after = page.length === 4 ? page[3] : undefined;
      } while (after !== undefined);
      expect(pages).toEqual(asked);
    }
    const window = { from: T0.plus({ minutes: 1 }), to: T0.plus({ minutes: 4 }) };
    const inWindow = [...events]
      .filter((e) => e.at >= window.from && e.at < window.to)
      .sort(newestFirst)
      .map((e) => e.id);
    expect(await idsOf(store, { panelId, types, ...window, limit: 20 })).toEqual(inWindow);
    expect(await idsOf(store, { panelId, types, ...window, limit: 2 })).toEqual(
      inWindow.slice(0, 2),
    );
  });

  it("AUD-2: a unit of work lists the events it appended itself, in order among the committed ones, by kind too", async () => {
    const [store] = await stores();
    const panelId = uniqueId("pnl");
    const committed = [1, 3].map((minutes) => anAuditEvent(panelId, { minutes }));
    await store.transact({}, (tx) => tx.appendAuditEvents(committed));
    const own = [0, 2, 4].map((minutes) => anAuditEvent(panelId, { minutes }));
    const expected = [...committed, ...own].sort(newestFirst).map((e) => e.id);
    const seen = await store.transact({}, async (tx) => {
      await tx.appendAuditEvents(own);
      const plainList = await tx.listAuditEvents({ panelId, limit: 10 });
      const byKind = await tx.listAuditEvents({
        panelId,
        types: ["membership.granted"],
        limit: 10,
      });
      return [plainList, byKind].map((list) => list.map((e) => e.id));
    });
    expect(seen).toEqual([expected, expected]);
  });
}
