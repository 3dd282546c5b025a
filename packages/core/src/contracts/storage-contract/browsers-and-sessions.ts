import { expect, it } from "vitest";
import type { StoragePort } from "../../ports/storage.js";
import { anAccount, plain, T0, uniqueId } from "../../testing/records.js";

/** Remembered browsers and sessions: round-trip, touch, delete one, delete all of an account. */
export function runBrowserAndSessionContract(
  stores: () => Promise<[StoragePort, ...StoragePort[]]>,
): void {
  it("remembered browsers and sessions: round-trip, touch, delete one, delete all of an account", async () => {
    const [store] = await stores();
    const account = anAccount();
    const browser = {
      id: uniqueId("rb"),
      accountId: account.id,
      secretHash: "ab".repeat(32),
      label: "Firefox on Linux",
      createdAt: T0,
      lastUsedAt: T0,
      expiresAt: T0.plus({ days: 7 }),
    };
    const session = {
      id: uniqueId("ses"),
      accountId: account.id,
      secretHash: "cd".repeat(32),
      method: "local" as const,
      createdAt: T0,
      lastUsedAt: T0,
      expiresAt: T0.plus({ hours: 12 }),
    };
    await store.transact({}, async (tx) => {
      await tx.createAccount(account);
      await tx.createRememberedBrowser(browser);
      await tx.createRememberedBrowser({ ...browser, id: uniqueId("rb"), label: null });
      await tx.createSession(session);
    });
    const later = T0.plus({ hours: 1 });
    await store.transact({}, async (tx) => {
      expect(plain(await tx.findRememberedBrowser(browser.id))).toEqual(plain(browser));
      expect(await tx.listRememberedBrowsers(account.id)).toHaveLength(2);
      expect(await tx.touchRememberedBrowser(browser.id, later)).toBe(true);
      expect(plain(await tx.findSession(session.id))).toEqual(plain(session));
      expect(await tx.touchSession(session.id, later, T0)).toBe("touched");
    });
    await store.transact({}, async (tx) => {
      expect((await tx.findRememberedBrowser(browser.id))?.lastUsedAt.toMillis()).toBe(
        later.toMillis(),
      );
      expect((await tx.findSession(session.id))?.lastUsedAt.toMillis()).toBe(later.toMillis());
      expect(await tx.deleteRememberedBrowser(browser.id)).toBe(true);
      expect(await tx.deleteRememberedBrowser(browser.id)).toBe(false);
      expect(await tx.deleteRememberedBrowsersOfAccount(account.id)).toHaveLength(1);
      expect(await tx.deleteSessionsOfAccount(account.id)).toEqual([session.id]);
      expect(await tx.findSession(session.id)).toBeNull();
      expect(await tx.touchSession(session.id, later, later)).toBe("gone");
    });
  });
}
