import { expect, it } from "vitest";
import type { StoragePort } from "../../ports/storage.js";
import { aLink, aMembership, anAccount, aPanel, plain, T0 } from "../../testing/records.js";

/** Every record kind stored and read back as given; missing data is `null` or empty; updates replace. */
export function runRoundTripContract(stores: () => Promise<[StoragePort, ...StoragePort[]]>): void {
  it("round-trips every record kind; missing data is null or empty", async () => {
    const [store] = await stores();
    const account = anAccount({
      passwordHash: "$argon2id$x",
      registeredAt: T0.plus({ minutes: 1 }),
    });
    const panel = aPanel({ settings: { ssoEnabled: true } });
    const temporary = {
      type: "temporary" as const,
      endsAt: T0.plus({ days: 3, milliseconds: 7 }),
    };
    const membership = aMembership(account.id, panel.id, { access: temporary });
    const link = aLink(account.id, { panelId: panel.id });
    await store.transact({ accounts: [account.email], panels: [panel.id] }, async (tx) => {
      await tx.createAccount(account);
      await tx.createPanel(panel);
      await tx.putMembership(membership);
      await tx.createLink(link);
    });
    await store.transact({}, async (tx) => {
      expect(plain(await tx.findAccountByEmail(account.email))).toEqual(plain(account));
      expect(plain(await tx.findAccountById(account.id))).toEqual(plain(account));
      expect(plain(await tx.findAccountsByIds([account.id, "missing"]))).toEqual([plain(account)]);
      const both = { account: plain(account), memberships: [plain(membership)] };
      expect(plain(await tx.findAccountWithMemberships({ id: account.id }))).toEqual(both);
      expect(plain(await tx.findAccountWithMemberships({ email: account.email }))).toEqual(both);
      expect(await tx.findAccountWithMemberships({ email: "missing@example.com" })).toBeNull();
      expect(plain(await tx.findPanel(panel.id))).toEqual(plain(panel));
      expect(plain(await tx.findPanels([panel.id, "missing"]))).toEqual([plain(panel)]);
      expect(plain(await tx.findMembership(account.id, panel.id))).toEqual(plain(membership));
      expect(plain(await tx.listMembershipsOfAccount(account.id))).toEqual([plain(membership)]);
      expect(plain(await tx.listMembershipsOfPanel(panel.id))).toEqual([plain(membership)]);
      expect(plain(await tx.findLink(link.id))).toEqual(plain(link));
      expect(plain(await tx.findLatestLink(account.id, "invitation"))).toEqual(plain(link));
      expect(await tx.findAccountByEmail("missing@example.com")).toBeNull();
      expect(await tx.findAccountById("missing")).toBeNull();
      expect(await tx.findPanel("missing")).toBeNull();
      expect(await tx.findMembership(account.id, "missing")).toBeNull();
      expect(await tx.listMembershipsOfAccount("missing")).toEqual([]);
      expect(await tx.findLink("missing")).toBeNull();
      expect(await tx.findLatestLink(account.id, "passwordReset")).toBeNull();
    });
  });

  it("updates and deletes: updateAccount replaces, putMembership replaces, deleteMembership removes", async () => {
    const [store] = await stores();
    const account = anAccount();
    const panel = aPanel();
    await store.transact({ accounts: [account.email] }, async (tx) => {
      await tx.createAccount(account);
      await tx.createPanel(panel);
      await tx.putMembership(aMembership(account.id, panel.id));
    });
    const registered = { ...account, passwordHash: "$argon2id$y", registeredAt: T0 };
    const changed = aMembership(account.id, panel.id, {
      role: "editor",
      updatedAt: T0.plus({ hours: 1 }),
    });
    await store.transact({ accounts: [account.email] }, async (tx) => {
      await tx.updateAccount(registered);
      await tx.putMembership(changed);
    });
    await store.transact({}, async (tx) => {
      expect(plain(await tx.findAccountById(account.id))).toEqual(plain(registered));
      expect(plain(await tx.listMembershipsOfPanel(panel.id))).toEqual([plain(changed)]);
    });
    await store.transact({ accounts: [account.email] }, (tx) =>
      tx.deleteMembership(account.id, panel.id),
    );
    await store.transact({}, async (tx) => {
      expect(await tx.findMembership(account.id, panel.id)).toBeNull();
      expect(await tx.findAccountById(account.id)).not.toBeNull();
    });
  });
}
