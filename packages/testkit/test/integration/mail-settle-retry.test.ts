import type { StoragePort, StorageTx } from "@panel-access/core";
import { describe, expect, it } from "vitest";
import {
  app,
  invite,
  operator,
  panel,
  peer,
  person,
  smtpMailer,
  stores,
  useSmtpPeer,
} from "../support/mail-delivery.js";

/**
 * A store whose next `settleMail` or `settleMails` calls (the dispatcher
 * writes its outcomes in batches) fail, as during a database restart: the
 * unit of work rolls back and the dispatcher sees a rejection.
 */
class SettleHiccups implements StoragePort {
  /** `settleMail` and `settleMails` calls so far, failed or not. */
  calls = 0;
  #failing = 0;
  /** Runs at each failure (to move the clock while the store is away). */
  onFailure = () => {};

  constructor(private readonly inner: StoragePort) {}

  /** Fails the next `count` calls (`Infinity`: until told otherwise; 0: heals). */
  failNext(count: number): void {
    this.#failing = count;
  }

  transact<T>(scope: Parameters<StoragePort["transact"]>[0], work: (tx: StorageTx) => Promise<T>) {
    return this.inner.transact(scope, (tx) => work(this.#hiccupping(tx)));
  }

  #hiccupping(tx: StorageTx): StorageTx {
    const hiccup = () => {
      this.calls += 1;
      if (this.#failing > 0) {
        this.#failing -= 1;
        this.onFailure();
        throw new Error("the database is restarting");
      }
    };
    const settleMail: StorageTx["settleMail"] = async (...args) => {
      hiccup();
      return tx.settleMail(...args);
    };
    const settleMails: StorageTx["settleMails"] = async (...args) => {
      hiccup();
      return tx.settleMails(...args);
    };
    return new Proxy(tx, {
      get(target, property, receiver) {
        if (property === "settleMail") return settleMail;
        if (property === "settleMails") return settleMails;
        const value = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }
}

/** MAIL-4 (MAIL-2, stricter): a send the server accepted is recorded even if recording it fails at first. */
useSmtpPeer();

describe.each(stores)("MAIL-4 recording a send through store hiccups on %s", (_, newStore) => {
  /** An application over a store with hiccups; the settle retries wait 1 ms, then 2, 4… */
  async function world(mail: { settleAttempts?: number } = {}) {
    let store: SettleHiccups | undefined;
    const made = await app(
      async () => {
        store = new SettleHiccups(await newStore());
        return store;
      },
      { firstSettleRetryDelay: { milliseconds: 1 }, ...mail },
    );
    if (store === undefined) throw new Error("no store");
    return { ...made, store, p: await panel(made) };
  }

  it("MAIL-4: the first record of an accepted invitation fails: it is written on the retry, the invitation is sent once and stays recorded as sent", async () => {
    const { store, p, clock, events } = await world();
    const email = person();
    store.failNext(1);
    const before = store.calls;
    expect((await invite(p, email))._unsafeUnwrap().notice).toBe("invitation");
    await p.panelAccess.settled();
    expect(store.calls - before).toBe(2); // the failed record, then the retry
    expect(peer.to(email)).toHaveLength(1);
    const sent = (
      await p.panelAccess.listMail({ actor: operator, status: "sent" })
    )._unsafeUnwrap();
    expect(sent).toContainEqual(expect.objectContaining({ kind: "invitation", attempts: 1 }));
    expect(
      (await p.panelAccess.listMail({ actor: operator, status: "pending" }))._unsafeUnwrap(),
    ).toEqual([]);
    // Long after the claim would have run out, nothing is sent again.
    clock.advance({ minutes: 11 });
    expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(0);
    expect(peer.to(email)).toHaveLength(1);
    expect(events.ofType("mail.failed")).toEqual([]);
  });

  it("MAIL-4: when every record of an accepted send fails, the message stays held and, once the claim runs out, is sent again with the same Message-ID (the documented residual risk)", async () => {
    const { store, p, clock } = await world({ settleAttempts: 3 });
    const email = person();
    store.failNext(Number.POSITIVE_INFINITY);
    const before = store.calls;
    expect((await invite(p, email))._unsafeUnwrap().notice).toBe("invitation");
    await p.panelAccess.settled();
    expect(store.calls - before).toBe(3); // mail.settleAttempts
    expect(peer.to(email)).toHaveLength(1);
    expect(
      (await p.panelAccess.listMail({ actor: operator, status: "pending" }))._unsafeUnwrap(),
    ).toEqual([expect.objectContaining({ kind: "invitation", attempts: 0 })]);
    store.failNext(0);
    expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(0); // still claimed
    clock.advance({ minutes: 10 }); // mail.claimFor
    expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(1);
    const copies = peer.to(email).map((r) => r.parsed.messageId);
    expect(copies).toHaveLength(2);
    expect(copies[1]).toBe(copies[0]);
    expect(
      (await p.panelAccess.listMail({ actor: operator, status: "pending" }))._unsafeUnwrap(),
    ).toEqual([]);
  });

  it("MAIL-4: the record is tried again only while the claim holds, by the clock: a hiccup that outlasts it ends the retries, and the round reports STORAGE_FAILED", async () => {
    const { store, p, clock, instance } = await world();
    const email = person();
    // This instance only queues (a worker sends): the round's report is what we read.
    const queueing = instance(smtpMailer(), { sendAfterCommit: false }).panelAccess;
    expect((await invite({ ...p, panelAccess: queueing }, email))._unsafeUnwrap().notice).toBe(
      "invitation",
    );
    store.failNext(Number.POSITIVE_INFINITY);
    store.onFailure = () => clock.advance({ minutes: 10 }); // the claim runs out meanwhile
    const before = store.calls;
    const round = await p.panelAccess.dispatchMail();
    expect(round._unsafeUnwrapErr()).toMatchObject({ type: "STORAGE_FAILED" });
    expect(store.calls - before).toBe(1); // not the 5 of mail.settleAttempts
    expect(peer.to(email)).toHaveLength(1);
  });
});
