import { expect, it } from "vitest";
import type { StoragePort, StorageTx } from "../../ports/storage.js";
import { aLink, anAccount, aRememberedBrowser, aSession, T0 } from "../../testing/records.js";
import { heldUnit } from "../held-unit.js";

/** The guarded statements (`consumeLink`, `acceptTotpStep`, `consumeBackupCode`, `touchSession`): under parallel calls exactly one caller wins. */
export function runSingleUseContract(
  stores: () => Promise<[StoragePort, ...StoragePort[]]>,
  parallel: number,
): void {
  it(`consumeLink: ${parallel} parallel consumers, even with no lock scope, exactly one wins`, async () => {
    const all = await stores();
    const [store] = all;
    const pick = (i: number) => all[i % all.length] ?? store;
    const account = anAccount();
    const link = aLink(account.id);
    await store.transact({}, async (tx) => {
      await tx.createAccount(account);
      await tx.createLink(link);
    });
    const at = T0.plus({ hours: 1 });
    const wins = await Promise.all(
      Array.from({ length: parallel }, (_, i) =>
        pick(i).transact({}, (tx) => tx.consumeLink(link.id, at)),
      ),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    const stored = await store.transact({}, (tx) => tx.findLink(link.id));
    expect(stored?.consumedAt?.toMillis()).toBe(at.toMillis());
    expect(await store.transact({}, (tx) => tx.consumeLink("missing", at))).toBe(false);
  });

  it("consumeLink: a consumption rolled back leaves the link unconsumed", async () => {
    const [store] = await stores();
    const account = anAccount();
    const link = aLink(account.id);
    await store.transact({}, async (tx) => {
      await tx.createAccount(account);
      await tx.createLink(link);
    });
    const run = store.transact({}, async (tx) => {
      expect(await tx.consumeLink(link.id, T0)).toBe(true);
      throw new Error("later step failed");
    });
    await expect(run).rejects.toThrow("later step failed");
    expect(await store.transact({}, (tx) => tx.consumeLink(link.id, T0))).toBe(true);
  });

  it(`acceptTotpStep: ${parallel} parallel callers with one step, with no lock scope: exactly one wins; older steps lose`, async () => {
    const all = await stores();
    const [store] = all;
    const pick = (i: number) => all[i % all.length] ?? store;
    const account = anAccount();
    await store.transact({}, (tx) => tx.createAccount(account));
    const wins = await Promise.all(
      Array.from({ length: parallel }, (_, i) =>
        pick(i).transact({}, (tx) => tx.acceptTotpStep(account.id, 1000)),
      ),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store.transact({}, (tx) => tx.acceptTotpStep(account.id, 999))).toBe(false);
    expect(await store.transact({}, (tx) => tx.acceptTotpStep(account.id, 1001))).toBe(true);
    await store.transact({}, (tx) => tx.forgetTotpSteps(account.id));
    expect(await store.transact({}, (tx) => tx.acceptTotpStep(account.id, 5))).toBe(true);
  });

  it(`consumeBackupCode: ${parallel} parallel callers, with no lock scope: exactly one wins; a replaced set is gone`, async () => {
    const all = await stores();
    const [store] = all;
    const pick = (i: number) => all[i % all.length] ?? store;
    const account = anAccount();
    const code = (hash: string) => ({
      accountId: account.id,
      codeHash: hash,
      createdAt: T0,
      usedAt: null,
    });
    await store.transact({}, async (tx) => {
      await tx.createAccount(account);
      await tx.replaceBackupCodes(account.id, [code("aa"), code("bb"), code("cc")]);
    });
    const wins = await Promise.all(
      Array.from({ length: parallel }, (_, i) =>
        pick(i).transact({}, (tx) => tx.consumeBackupCode(account.id, "bb", T0)),
      ),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store.transact({}, (tx) => tx.countUnusedBackupCodes(account.id))).toBe(2);
    expect(
      await store.transact({}, (tx) => tx.consumeBackupCode("another-account", "aa", T0)),
    ).toBe(false);
    await store.transact({}, (tx) => tx.replaceBackupCodes(account.id, [code("dd")]));
    expect(await store.transact({}, (tx) => tx.consumeBackupCode(account.id, "aa", T0))).toBe(
      false,
    );
    expect(await store.transact({}, (tx) => tx.countUnusedBackupCodes(account.id))).toBe(1);
  });

  it(`SES-3: touchSession: ${parallel} parallel checks that found the last use due, with no lock scope: exactly one records it ("touched"), the others answer "alreadyRecent"; an unknown id answers "gone"`, async () => {
    const all = await stores();
    const [store] = all;
    const pick = (i: number) => all[i % all.length] ?? store;
    const { session, at, ifUsedBy } = await aSessionDue(store);
    const wins = await Promise.all(
      Array.from({ length: parallel }, (_, i) =>
        pick(i).transact({}, (tx) => tx.touchSession(session.id, at, ifUsedBy)),
      ),
    );
    expect(wins.filter((touch) => touch === "touched")).toHaveLength(1);
    expect(wins.filter((touch) => touch === "alreadyRecent")).toHaveLength(parallel - 1);
    const stored = await store.transact({}, (tx) => tx.findSession(session.id));
    expect(stored?.lastUsedAt.toMillis()).toBe(at.toMillis());
    expect(await store.transact({}, (tx) => tx.touchSession("missing", at, ifUsedBy))).toBe("gone");
  });

  it("SES-3: touchSession writes only when the recorded last use is at or before the guard, and never undoes a deletion", async () => {
    const [store] = await stores();
    const account = anAccount();
    const session = aSession(account.id, { lastUsedAt: T0 });
    await store.transact({}, async (tx) => {
      await tx.createAccount(account);
      await tx.createSession(session);
    });
    const lastUse = async () =>
      (await store.transact({}, (tx) => tx.findSession(session.id)))?.lastUsedAt.toMillis();
    const later = T0.plus({ minutes: 3 });
    // Recorded last use 1 ms after the guard: fresh enough, nothing written.
    expect(
      await store.transact({}, (tx) =>
        tx.touchSession(session.id, later, T0.minus({ milliseconds: 1 })),
      ),
    ).toBe("alreadyRecent");
    expect(await lastUse()).toBe(T0.toMillis());
    // Recorded last use exactly at the guard: written.
    expect(await store.transact({}, (tx) => tx.touchSession(session.id, later, T0))).toBe(
      "touched",
    );
    expect(await lastUse()).toBe(later.toMillis());
    // A touch rolled back leaves the last use as it was.
    const rolledBack = store.transact({}, async (tx) => {
      expect(await tx.touchSession(session.id, later.plus({ minutes: 5 }), later)).toBe("touched");
      throw new Error("later step failed");
    });
    await expect(rolledBack).rejects.toThrow("later step failed");
    expect(await lastUse()).toBe(later.toMillis());
    // A touch and a deletion racing: the session stays deleted whichever commits first.
    const [touch, deleted] = await Promise.all([
      store.transact({}, (tx) => tx.touchSession(session.id, later.plus({ minutes: 5 }), later)),
      store.transact({}, (tx) => tx.deleteSession(session.id)),
    ]);
    expect(["touched", "gone"]).toContain(touch);
    expect(deleted).toBe(true);
    expect(await store.transact({}, (tx) => tx.findSession(session.id))).toBeNull();
    expect(
      await store.transact({}, (tx) =>
        tx.touchSession(session.id, later.plus({ hours: 1 }), later),
      ),
    ).toBe("gone");
  });

  it(`SES-3, SES-2: ${parallel} parallel touches racing a deletion, with no lock scope: none answers "touched" or "alreadyRecent" once the deletion has committed; each answers "gone", and the session stays deleted`, async () => {
    const all = await stores();
    const [store] = all;
    const pick = (i: number) => all[i % all.length] ?? store;
    const { session, at, ifUsedBy } = await aSessionDue(store);
    const { unit, held, release } = holding(store, (tx) => tx.deleteSession(session.id));
    await held;
    // The deletion holds the row (not committed): the touches start now and
    // wait for it (PostgreSQL: the row lock; one connection: the queue).
    const touches = Array.from({ length: parallel }, (_, i) =>
      pick(i).transact({}, (tx) => tx.touchSession(session.id, at, ifUsedBy)),
    );
    release();
    expect(await unit).toBe(true);
    expect(await Promise.all(touches)).toEqual(Array.from({ length: parallel }, () => "gone"));
    expect(await store.transact({}, (tx) => tx.findSession(session.id))).toBeNull();
  });

  it(`SES-3: ${parallel} parallel touches racing a touch that wrote first, with no lock scope: each answers "alreadyRecent" (the session is there), none "gone"`, async () => {
    const all = await stores();
    const [store] = all;
    const pick = (i: number) => all[i % all.length] ?? store;
    const { session, at, ifUsedBy } = await aSessionDue(store);
    const { unit, held, release } = holding(store, (tx) =>
      tx.touchSession(session.id, at, ifUsedBy),
    );
    await held;
    const touches = Array.from({ length: parallel }, (_, i) =>
      pick(i).transact({}, (tx) => tx.touchSession(session.id, at, ifUsedBy)),
    );
    release();
    expect(await unit).toBe("touched");
    expect(await Promise.all(touches)).toEqual(
      Array.from({ length: parallel }, () => "alreadyRecent"),
    );
    const stored = await store.transact({}, (tx) => tx.findSession(session.id));
    expect(stored?.lastUsedAt.toMillis()).toBe(at.toMillis());
  });

  it(`TFA-7: a remembered browser forgotten while a login touches it stays forgotten, and ${parallel} parallel touches racing the forgetting find it gone: no touch's commit puts it back`, async () => {
    const all = await stores();
    const [store] = all;
    const pick = (i: number) => all[i % all.length] ?? store;
    const account = anAccount();
    const browser = aRememberedBrowser(account.id);
    await store.transact({}, async (tx) => {
      await tx.createAccount(account);
      await tx.createRememberedBrowser(browser);
    });
    const at = T0.plus({ hours: 1 });
    // A touch holds the browser, uncommitted; the forgetting starts now.
    const touch = holding(store, (tx) => tx.touchRememberedBrowser(browser.id, at));
    await touch.held;
    const forgetting = pick(1).transact({}, (tx) => tx.deleteRememberedBrowser(browser.id));
    touch.release();
    expect(await touch.unit).toBe(true);
    expect(await forgetting).toBe(true);
    expect(await store.transact({}, (tx) => tx.findRememberedBrowser(browser.id))).toBeNull();
    // Again the other way round: the forgetting holds, the touches wait and find nothing.
    const again = aRememberedBrowser(account.id);
    await store.transact({}, (tx) => tx.createRememberedBrowser(again));
    const deletion = holding(store, (tx) => tx.deleteRememberedBrowser(again.id));
    await deletion.held;
    const touches = Array.from({ length: parallel }, (_, i) =>
      pick(i).transact({}, (tx) => tx.touchRememberedBrowser(again.id, at)),
    );
    deletion.release();
    expect(await deletion.unit).toBe(true);
    expect(await Promise.all(touches)).toEqual(Array.from({ length: parallel }, () => false));
    expect(await store.transact({}, (tx) => tx.findRememberedBrowser(again.id))).toBeNull();
  });

  it('SES-3, SES-2: a touch that committed before a deletion is not undone by it, and the deletion is not undone by the touch: the session is gone, the next touch answers "gone"', async () => {
    const [store] = await stores();
    const { session, at, ifUsedBy } = await aSessionDue(store);
    const { unit, held, release } = holding(store, (tx) =>
      tx.touchSession(session.id, at, ifUsedBy),
    );
    await held;
    const deletion = store.transact({}, (tx) => tx.deleteSession(session.id));
    release();
    expect(await unit).toBe("touched");
    expect(await deletion).toBe(true);
    expect(await store.transact({}, (tx) => tx.findSession(session.id))).toBeNull();
    expect(
      await store.transact({}, (tx) => tx.touchSession(session.id, at.plus({ minutes: 5 }), at)),
    ).toBe("gone");
  });
}

/** An account with a session whose last use (`T0`) is due to be recorded at `at`, guarded by `ifUsedBy`. */
async function aSessionDue(store: StoragePort) {
  const account = anAccount();
  const session = aSession(account.id, { lastUsedAt: T0 });
  await store.transact({}, async (tx) => {
    await tx.createAccount(account);
    await tx.createSession(session);
  });
  const at = T0.plus({ minutes: 5 });
  return { session, at, ifUsedBy: at.minus({ minutes: 1 }) };
}

/** `heldUnit` on `store`, in a unit of work with no lock scope. */
function holding<T>(store: StoragePort, work: (tx: StorageTx) => Promise<T>) {
  return heldUnit<T>((w) => store.transact({}, w), work);
}
