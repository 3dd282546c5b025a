import { expect, it } from "vitest";
import type { StoragePort } from "../../ports/storage.js";
import { aLink, anAccount, T0 } from "../../testing/records.js";

/** PWD-5 and link sequences: counting recent links, the latest link, duplicates refused. */
export function runLinkQueryContract(stores: () => Promise<[StoragePort, ...StoragePort[]]>): void {
  it("PWD-5: countLinksIssuedSince counts one account's links of one purpose issued at or after an instant", async () => {
    const [store] = await stores();
    const account = anAccount();
    const other = anAccount();
    await store.transact({ accounts: [account.email, other.email] }, async (tx) => {
      await tx.createAccount(account);
      await tx.createAccount(other);
      for (const [sequence, minutes] of [
        [1, 0],
        [2, 30],
        [3, 59],
        [4, 60],
      ] as const) {
        const issuedAt = T0.plus({ minutes });
        await tx.createLink(aLink(account.id, { purpose: "passwordReset", sequence, issuedAt }));
      }
      await tx.createLink(aLink(account.id, { sequence: 1, issuedAt: T0.plus({ minutes: 40 }) }));
      await tx.createLink(
        aLink(other.id, { purpose: "passwordReset", issuedAt: T0.plus({ minutes: 45 }) }),
      );
    });
    await store.transact({}, async (tx) => {
      const since = (minutes: number) => T0.plus({ minutes });
      expect(await tx.countLinksIssuedSince(account.id, "passwordReset", since(0))).toBe(4);
      expect(await tx.countLinksIssuedSince(account.id, "passwordReset", since(30))).toBe(3);
      expect(await tx.countLinksIssuedSince(account.id, "passwordReset", since(61))).toBe(0);
      expect(await tx.countLinksIssuedSince(account.id, "invitation", since(0))).toBe(1);
    });
  });

  it("findLatestLink returns the highest sequence; duplicates are rejected, except sequence 0", async () => {
    const [store] = await stores();
    const account = anAccount();
    await store.transact({ accounts: [account.email] }, async (tx) => {
      await tx.createAccount(account);
      for (const sequence of [1, 3, 2]) await tx.createLink(aLink(account.id, { sequence }));
      await tx.createLink(aLink(account.id, { sequence: 9, purpose: "passwordReset" }));
    });
    await store.transact({}, async (tx) => {
      expect((await tx.findLatestLink(account.id, "invitation"))?.sequence).toBe(3);
      expect((await tx.findLatestLink(account.id, "passwordReset"))?.sequence).toBe(9);
    });
    const duplicate = store.transact({ accounts: [account.email] }, (tx) =>
      tx.createLink(aLink(account.id, { sequence: 3 })),
    );
    await expect(duplicate).rejects.toBeDefined();
    const sameEmail = store.transact({ accounts: [account.email] }, (tx) =>
      tx.createAccount(anAccount({ email: account.email })),
    );
    await expect(sameEmail).rejects.toBeDefined();
    await store.transact({ accounts: [account.email] }, async (tx) => {
      await tx.createLink(aLink(account.id, { purpose: "loginChallenge", sequence: 0 }));
      await tx.createLink(aLink(account.id, { purpose: "loginChallenge", sequence: 0 }));
    });
  });
}
