import { expect, it } from "vitest";
import type { MailOutcome, OutboxMessageRecord } from "../domain/outbox.js";
import type { StoragePort } from "../ports/storage.js";
import { aMessage, anAccount, plain, T0, uniqueId } from "../testing/records.js";

/**
 * The outbox part of the storage contract (MAIL-2): what is queued commits
 * with its unit of work, each message goes to exactly one claim, and only the
 * claim that holds a message settles it, one message at a time
 * (`settleMail`) or many at once (`settleMails`).
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

  /** The messages with these ids as they are now, whatever their status, by id. */
  async function current(store: StoragePort, ids: readonly string[]) {
    const all = await store.transact({}, async (tx) => [
      ...(await tx.listMail("pending", 10_000)),
      ...(await tx.listMail("sent", 10_000)),
      ...(await tx.listMail("failed", 10_000)),
    ]);
    return new Map(all.filter((m) => ids.includes(m.id)).map((m) => [m.id, m]));
  }

  it("MAIL-2 outbox: settleMails records each outcome only where its own claim holds the pending message: sent erases the payload, a failure is kept, released clears only the claim; a taken-over or settled message records nothing", async () => {
    const [store] = await stores();
    const { ids } = await queued(store, 5);
    const [sentId = "", retryId = "", releasedId = "", takenId = "", settledId = ""] = ids;
    const first = claim(ids);
    await store.transact({}, (tx) => tx.claimMail(first));
    // One message is settled already; another's claim ran out and a second claim took it over.
    await store.transact({}, (tx) =>
      tx.settleMail(settledId, first.claimId, { status: "sent", at: T0.plus({ minutes: 1 }) }),
    );
    const later = claim([takenId], T0.plus({ minutes: 10 }));
    expect(await store.transact({}, (tx) => tx.claimMail(later))).toHaveLength(1);
    const at = T0.plus({ minutes: 2 });
    const retry: MailOutcome = {
      status: "pending",
      attempts: 1,
      nextAttemptAt: T0.plus({ minutes: 3 }),
      lastError: "EENVELOPE 451",
    };
    const settled = await store.transact({}, (tx) =>
      tx.settleMails([
        { id: sentId, claimId: first.claimId, outcome: { status: "sent", at } },
        { id: takenId, claimId: first.claimId, outcome: { status: "sent", at } },
        { id: retryId, claimId: first.claimId, outcome: retry },
        { id: settledId, claimId: first.claimId, outcome: { status: "sent", at } },
        { id: releasedId, claimId: first.claimId, outcome: { status: "released" } },
      ]),
    );
    expect(settled).toEqual([true, false, true, false, true]);
    expect(await store.transact({}, (tx) => tx.settleMails([]))).toEqual([]);
    const now = await current(store, ids);
    expect(plain(now.get(sentId))).toMatchObject({
      status: "sent",
      payload: null,
      attempts: 1,
      claimId: null,
      claimedUntil: null,
    });
    expect(now.get(sentId)?.sentAt?.toMillis()).toBe(at.toMillis());
    expect(plain(now.get(retryId))).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "EENVELOPE 451",
      claimId: null,
    });
    expect(now.get(retryId)?.nextAttemptAt.toMillis()).toBe(T0.plus({ minutes: 3 }).toMillis());
    // Released: as queued, only the claim is gone (due at once, its payload kept).
    const released = now.get(releasedId);
    expect(plain(released)).toMatchObject({
      status: "pending",
      attempts: 0,
      payload: "v1.sealed.payload",
      lastError: null,
      claimId: null,
      claimedUntil: null,
    });
    expect(released?.nextAttemptAt.toMillis()).toBe(T0.toMillis());
    // The taken-over message is still the later claim's; the settled one is still sent once.
    expect(now.get(takenId)).toMatchObject({ status: "pending", claimId: later.claimId });
    expect(now.get(settledId)).toMatchObject({ status: "sent", attempts: 1 });
    const again = await store.transact({}, (tx) => tx.claimMail(claim(ids, at)));
    expect(again.map((m) => m.id)).toEqual([releasedId]);
  });

  it(`MAIL-2: ${parallel} batched settles at once on every instance, from the claim that holds 20 messages and from the claim whose hold ran out, record each message exactly once, under its holder`, async () => {
    const all = await stores();
    const [store] = all;
    const { ids } = await queued(store, 20);
    const stale = claim(ids);
    await store.transact({}, (tx) => tx.claimMail(stale));
    const holder = claim(ids, T0.plus({ minutes: 10 }));
    expect(await store.transact({}, (tx) => tx.claimMail(holder))).toHaveLength(20);
    const at = T0.plus({ minutes: 11 });
    const results = await Promise.all(
      Array.from({ length: parallel }, (_, i) => {
        const claimId = i % 2 === 0 ? holder.claimId : stale.claimId;
        // Each caller settles every message, in its own order.
        const order = i % 3 === 0 ? [...ids].reverse() : ids;
        return (all[i % all.length] ?? store)
          .transact({}, (tx) =>
            tx.settleMails(
              order.map((id) => ({ id, claimId, outcome: { status: "sent", at } as const })),
            ),
          )
          .then((settled) => ({ claimId, order, settled }));
      }),
    );
    const wins = new Map<string, number>();
    for (const { claimId, order, settled } of results) {
      order.forEach((id, index) => {
        if (!settled[index]) return;
        expect(claimId).toBe(holder.claimId);
        wins.set(id, (wins.get(id) ?? 0) + 1);
      });
    }
    expect([...wins.keys()].sort()).toEqual([...ids].sort());
    expect([...wins.values()].every((count) => count === 1)).toBe(true);
    const now = await current(store, ids);
    expect([...now.values()].map((m) => [m.status, m.attempts, m.payload])).toEqual(
      ids.map(() => ["sent", 1, null]),
    );
  });

  it(`MAIL-2: ${parallel} claimers at once on every instance, racing the batched release of 20 claimed messages, never take one still held and take each released one exactly once`, async () => {
    const all = await stores();
    const [store] = all;
    const { ids } = await queued(store, 20);
    const held = claim(ids);
    await store.transact({}, (tx) => tx.claimMail(held));
    const released = store.transact({}, (tx) =>
      tx.settleMails(
        ids.map((id) => ({ id, claimId: held.claimId, outcome: { status: "released" } })),
      ),
    );
    const claims = await Promise.all(
      Array.from({ length: parallel }, (_, i) =>
        (all[i % all.length] ?? store).transact({}, (tx) => tx.claimMail(claim(ids, T0, 2))),
      ),
    );
    expect(await released).toEqual(ids.map(() => true));
    const taken = claims.flat();
    // A racer took a message only once it was released: never under the first claim.
    expect(taken.every((m: OutboxMessageRecord) => m.claimId !== held.claimId)).toBe(true);
    expect(new Set(taken.map((m) => m.id)).size).toBe(taken.length);
    // What no racer took is free at the same instant; the rest is held by its racer.
    const rest = await store.transact({}, (tx) => tx.claimMail(claim(ids)));
    expect([...taken, ...rest].map((m) => m.id).sort()).toEqual([...ids].sort());
  });
}
