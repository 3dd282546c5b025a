import { expect, it } from "vitest";
import type { SessionSnapshot, StoragePort } from "../../ports/storage.js";
import { readInUnitOfWork } from "../../sessions/steps/read-session.js";
import { aMembership, anAccount, aPanel, aSession, plain, T0 } from "../../testing/records.js";

/** The store's `readSession`, or, for a store without one, the core's reads in a unit of work. */
const readSession = (store: StoragePort, id: string): Promise<SessionSnapshot | null> =>
  store.readSession ? store.readSession(id) : readInUnitOfWork(store, id);

/** Sorted by a key, so that "in any order" compares. */
const sortedBy = <T>(rows: readonly T[], key: (row: T) => string) =>
  [...rows].sort((a, b) => key(a).localeCompare(key(b)));

/** SES-3: `readSession`, the one read of a session check. */
export function runSessionSnapshotContract(
  stores: () => Promise<[StoragePort, ...StoragePort[]]>,
  parallel: number,
): void {
  it("SES-3: readSession answers the session, its account, every membership (live or not) and their panels; null for an unknown id", async () => {
    const [store] = await stores();
    const account = anAccount();
    const other = anAccount();
    const [first, second, elsewhere] = [
      aPanel(),
      aPanel({ settings: { ssoEnabled: true } }),
      aPanel(),
    ];
    const memberships = [
      aMembership(account.id, first.id),
      aMembership(account.id, second.id, {
        role: "administrator",
        access: { type: "temporary", endsAt: T0.minus({ days: 1 }) },
      }),
    ];
    const session = aSession(account.id);
    await store.transact({}, async (tx) => {
      await tx.createAccount(account);
      await tx.createAccount(other);
      for (const panel of [first, second, elsewhere]) await tx.createPanel(panel);
      for (const membership of memberships) await tx.putMembership(membership);
      await tx.putMembership(aMembership(other.id, elsewhere.id));
      await tx.createSession(session);
      await tx.createSession(aSession(other.id));
    });
    const snapshot = await readSession(store, session.id);
    expect(plain(snapshot?.session)).toEqual(plain(session));
    expect(plain(snapshot?.account)).toEqual(plain(account));
    expect(plain(sortedBy(snapshot?.memberships ?? [], (m) => m.panelId))).toEqual(
      plain(sortedBy(memberships, (m) => m.panelId)),
    );
    expect(plain(sortedBy(snapshot?.panels ?? [], (p) => p.id))).toEqual(
      plain(sortedBy([first, second], (p) => p.id)),
    );
    expect(await readSession(store, `${session.id}-unknown`)).toBeNull();
  });

  it("SES-3: readSession of an account without memberships answers empty lists", async () => {
    const [store] = await stores();
    const account = anAccount();
    const session = aSession(account.id);
    await store.transact({}, async (tx) => {
      await tx.createAccount(account);
      await tx.createSession(session);
    });
    const snapshot = await readSession(store, session.id);
    expect(snapshot?.memberships).toEqual([]);
    expect(snapshot?.panels).toEqual([]);
  });

  it(`SES-3: ${parallel} parallel readSession calls during units of work that change a membership and the session together each see one commit whole, never half of one`, async () => {
    const all = await stores();
    const [store] = all;
    const pick = (i: number) => all[i % all.length] ?? store;
    const account = anAccount();
    const panel = aPanel();
    const session = aSession(account.id);
    const membership = aMembership(account.id, panel.id, { role: "r0" });
    await store.transact({}, async (tx) => {
      await tx.createAccount(account);
      await tx.createPanel(panel);
      await tx.putMembership(membership);
      await tx.createSession(session);
    });
    const far = T0.plus({ years: 1 });
    const writes = Array.from({ length: parallel }, (_, i) =>
      pick(i).transact({ accounts: [account.email] }, async (tx) => {
        await tx.putMembership({ ...membership, role: `r${i + 1}` });
        await tx.findPanel("yield-to-other-callers");
        expect(await tx.touchSession(session.id, T0.plus({ minutes: i + 1 }), far)).toBe("touched");
      }),
    );
    const reads = Array.from({ length: parallel }, (_, i) => readSession(pick(i + 1), session.id));
    const [, seen] = await Promise.all([Promise.all(writes), Promise.all(reads)]);
    for (const snapshot of seen) {
      const minutes = Math.round(
        ((snapshot?.session.lastUsedAt.toMillis() ?? Number.NaN) - T0.toMillis()) / 60_000,
      );
      expect(snapshot?.memberships.map((m) => m.role)).toEqual([`r${minutes}`]);
    }
  });
}
