import { expect, it } from "vitest";
import type { StoragePort } from "../../ports/storage.js";
import { aMembership, anAccount, aPanel } from "../../testing/records.js";

/** `transact`: a unit of work is atomic, serialised by its lock scope, and never deadlocks. */
export function runUnitOfWorkContract(
  stores: () => Promise<[StoragePort, ...StoragePort[]]>,
  parallel: number,
): void {
  it("atomicity: a unit of work that rejects leaves nothing behind and passes the rejection on", async () => {
    const [store] = await stores();
    const account = anAccount();
    const panel = aPanel();
    const failure = new Error("rule said no");
    const run = store.transact({ accounts: [account.email] }, async (tx) => {
      await tx.createAccount(account);
      await tx.createPanel(panel);
      await tx.putMembership(aMembership(account.id, panel.id));
      throw failure;
    });
    await expect(run).rejects.toBe(failure);
    await store.transact({}, async (tx) => {
      expect(await tx.findAccountByEmail(account.email)).toBeNull();
      expect(await tx.findPanel(panel.id)).toBeNull();
      expect(await tx.listMembershipsOfPanel(panel.id)).toEqual([]);
    });
  });

  it(`isolation: ${parallel} parallel read-then-write units of work on one account lose no update`, async () => {
    const all = await stores();
    const [store] = all;
    const pick = (i: number) => all[i % all.length] ?? store;
    const account = anAccount();
    await store.transact({ accounts: [account.email] }, (tx) => tx.createAccount(account));
    await Promise.all(
      Array.from({ length: parallel }, (_, i) =>
        pick(i).transact({ accounts: [account.email] }, async (tx) => {
          const current = await tx.findAccountByEmail(account.email);
          if (current === null) throw new Error("account vanished");
          await tx.findPanel("yield-to-other-callers");
          const failures = current.lockout.consecutiveFailures + 1;
          await tx.updateAccount({
            ...current,
            lockout: { ...current.lockout, consecutiveFailures: failures },
          });
        }),
      ),
    );
    const final = await store.transact({}, (tx) => tx.findAccountById(account.id));
    expect(final?.lockout.consecutiveFailures).toBe(parallel);
  });

  it("isolation: an account not yet created is serialised by its e-mail: one creation wins", async () => {
    const all = await stores();
    const [store] = all;
    const pick = (i: number) => all[i % all.length] ?? store;
    const email = anAccount().email;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        pick(i).transact({ accounts: [email] }, async (tx) => {
          if (await tx.findAccountByEmail(email)) return "existed";
          await tx.findPanel("yield-to-other-callers");
          await tx.createAccount(anAccount({ email }));
          return "created";
        }),
      ),
    );
    const values = outcomes.map((o) => (o.status === "fulfilled" ? o.value : "rejected"));
    expect(values.filter((v) => v === "created")).toHaveLength(1);
    expect(values.filter((v) => v === "existed")).toHaveLength(19);
  });

  it("isolation: units of work on one panel are serialised (a limit checked then written holds)", async () => {
    const all = await stores();
    const [store] = all;
    const pick = (i: number) => all[i % all.length] ?? store;
    const panel = aPanel();
    const accounts = Array.from({ length: 20 }, () => anAccount());
    await store.transact({ panels: [panel.id] }, async (tx) => {
      await tx.createPanel(panel);
      for (const account of accounts) await tx.createAccount(account);
    });
    const limit = 5;
    await Promise.all(
      accounts.map((account, i) =>
        pick(i).transact({ panels: [panel.id] }, async (tx) => {
          const members = await tx.listMembershipsOfPanel(panel.id);
          await tx.findPanel("yield-to-other-callers");
          if (members.length < limit) await tx.putMembership(aMembership(account.id, panel.id));
        }),
      ),
    );
    const members = await store.transact({}, (tx) => tx.listMembershipsOfPanel(panel.id));
    expect(members).toHaveLength(limit);
  });

  it("overlapping scopes named in different orders never deadlock", async () => {
    const all = await stores();
    const [store] = all;
    const pick = (i: number) => all[i % all.length] ?? store;
    const [a, b] = [anAccount(), anAccount()];
    const panel = aPanel();
    await store.transact({}, async (tx) => {
      await tx.createAccount(a);
      await tx.createAccount(b);
    });
    const runs = Array.from({ length: 20 }, (_, i) =>
      pick(i).transact(
        i % 2
          ? { accounts: [a.email, b.email], panels: [panel.id] }
          : { panels: [panel.id], accounts: [b.email, a.email] },
        async (tx) => {
          await tx.findAccountById(a.id);
          return i;
        },
      ),
    );
    expect((await Promise.all(runs)).length).toBe(20);
  });
}
