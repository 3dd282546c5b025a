import { expect, it } from "vitest";
import type { StoragePort } from "../ports/storage.js";
import { aMessage, anAccount, plain, T0, uniqueId } from "../testing/records.js";

/**
 * The outbox part of the storage contract (MAIL-2): what is queued commits
 * with its unit of work, each message goes to exactly one claim, and only the
 * claim that holds a message settles it.
 */
export function runMailOutboxContract(
  stores: () => Promise<[StoragePort, ...StoragePort[]]>,
  parallel: number,
): void {
  /** An account (messages belong to one) and `count` messages queued for it, created a millisecond apart. */
  async function queued(store: StoragePort, count: number) {
    const account = anAccount();
    const messages = Array.from({ length: count }, (_, i) =>
      aMessage(account.id, { createdAt: T0.plus({ milliseconds: i }) }),
    );
    await store.transact({ accounts: [account.email] }, async (tx) => {
      await tx.createAccount(account);
      for (const message of messages) await tx.enqueueMail(message);
    });
    return { account, messages, ids: messages.map((m) => m.id) };
  }

  const claim = (ids: readonly string[], at = T0, limit = 1000) => ({
    now: at,
    until: at.plus({ minutes: 10 }),
    claimId: uniqueId("claim"),
    limit,
    ids,
  });

  it("MAIL-2 outbox: a message queued in a unit of work that rolls back never exists; a committed one round-trips", async () => {
    const [store] = await stores();
    const account = anAccount();
    const lost = aMessage(account.id);
    await expect(
      store.transact({ accounts: [account.email] }, async (tx) => {
        await tx.createAccount(account);
        await tx.enqueueMail(lost);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const { messages, ids } = await queued(store, 1);
    await store.transact({}, async (tx) => {
      expect(await tx.claimMail(claim([lost.id]))).toEqual([]);
      const [taken] = await tx.claimMail(claim(ids));
      expect(plain({ ...taken, claimId: null, claimedUntil: null })).toEqual(plain(messages[0]));
      expect(taken?.claimedUntil?.toMillis()).toBe(T0.plus({ minutes: 10 }).toMillis());
    });
    await expect(store.transact({}, (tx) => tx.enqueueMail(messages[0] ?? lost))).rejects.toThrow();
  });

  it("MAIL-2 outbox: claims take only due, unclaimed, pending messages, oldest first, up to the limit", async () => {
    const [store] = await stores();
    const { account, ids } = await queued(store, 3);
    const later = aMessage(account.id, {
      createdAt: T0.plus({ milliseconds: 3 }),
      nextAttemptAt: T0.plus({ minutes: 5 }),
    });
    await store.transact({}, (tx) => tx.enqueueMail(later));
    const all = [...ids, later.id];
    await store.transact({}, async (tx) => {
      expect((await tx.claimMail(claim(all, T0, 2))).map((m) => m.id)).toEqual(ids.slice(0, 2));
      expect((await tx.claimMail(claim(all))).map((m) => m.id)).toEqual(ids.slice(2));
      expect(await tx.claimMail(claim(all))).toEqual([]);
    });
    // The claims run out after 10 minutes; by then the later message is due too.
    const after = T0.plus({ minutes: 10 });
    const retaken = await store.transact({}, (tx) => tx.claimMail(claim(all, after)));
    expect(retaken.map((m) => m.id)).toEqual(all);
  });

  it(`MAIL-2 outbox: ${parallel} claimers at once on every instance take each of 40 messages exactly once`, async () => {
    const all = await stores();
    const [store] = all;
    const { ids } = await queued(store, 40);
    const claims = await Promise.all(
      Array.from({ length: parallel }, (_, i) =>
        (all[i % all.length] ?? store).transact({}, (tx) => tx.claimMail(claim(ids, T0, 3))),
      ),
    );
    const taken = claims.flat().map((m) => m.id);
    expect(taken.sort()).toEqual([...ids].sort());
  });

  it("MAIL-2 outbox: only the holding claim settles; sent erases the payload; failed is listed and re-queued", async () => {
    const [store] = await stores();
    const { account, ids } = await queued(store, 2);
    const [sentId = "", failedId = ""] = ids;
    const first = claim(ids);
    await store.transact({}, (tx) => tx.claimMail(first));
    // The claim ran out and another dispatcher took the messages over.
    const second = claim(ids, T0.plus({ minutes: 10 }));
    await store.transact({}, (tx) => tx.claimMail(second));
    const sentAt = T0.plus({ minutes: 11 });
    await store.transact({}, async (tx) => {
      expect(await tx.settleMail(sentId, first.claimId, { status: "sent", at: sentAt })).toBe(
        false,
      );
      expect(await tx.settleMail(sentId, second.claimId, { status: "sent", at: sentAt })).toBe(
        true,
      );
      expect(await tx.settleMail(sentId, second.claimId, { status: "sent", at: sentAt })).toBe(
        false,
      );
      const failure = {
        status: "failed" as const,
        attempts: 8,
        nextAttemptAt: sentAt,
        lastError: "ECONNECTION",
      };
      expect(await tx.settleMail(failedId, second.claimId, failure)).toBe(true);
    });
    await store.transact({}, async (tx) => {
      const sent = (await tx.listMail("sent", 1000)).find((m) => m.id === sentId);
      expect(plain(sent)).toMatchObject({
        status: "sent",
        payload: null,
        attempts: 1,
        claimId: null,
      });
      expect(sent?.sentAt?.toMillis()).toBe(sentAt.toMillis());
      const failed = (await tx.listMail("failed", 1000)).filter((m) => m.accountId === account.id);
      expect(plain(failed)).toEqual([
        expect.objectContaining({
          id: failedId,
          attempts: 8,
          lastError: "ECONNECTION",
          claimId: null,
        }),
      ]);
      expect(await tx.claimMail(claim(ids, sentAt))).toEqual([]);
      expect(await tx.requeueMail(sentId, sentAt)).toBe(false);
      expect(await tx.requeueMail(failedId, sentAt)).toBe(true);
      expect(await tx.requeueMail(failedId, sentAt)).toBe(false);
      const [requeued] = await tx.claimMail(claim(ids, sentAt));
      expect(requeued).toMatchObject({ id: failedId, status: "pending", attempts: 0 });
    });
  });
}
