import { MemoryStore } from "@panel-access/adapter-memory";
import {
  createPanelAccess,
  type Mailer,
  type StoragePort,
  type StorageTx,
} from "@panel-access/core";
import { RecordingMailer, TEST_ARGON2, testTwoFactorOptions } from "@panel-access/testkit";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { PASSWORD, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";

/**
 * A store whose units of work wait at a gate before their first write, and
 * whose writes can be made to fail: what the caller's answer waits for shows.
 */
class GatedStore implements StoragePort {
  gate: Promise<void> = Promise.resolve();
  failWrites = false;
  /** Fails only this many writes, then works again (a connection that drops and comes back). */
  failNextWrites = 0;
  /** Resolves when a write first waits at the closed gate. */
  reached: Promise<void> = Promise.resolve();
  #reachedGate = () => {};
  readonly #inner: MemoryStore;
  constructor(inner: MemoryStore) {
    this.#inner = inner;
  }
  close(): () => void {
    let open = () => {};
    this.gate = new Promise((resolve) => {
      open = resolve;
    });
    this.reached = new Promise((resolve) => {
      this.#reachedGate = resolve;
    });
    return open;
  }
  transact<T>(
    scope: Parameters<StoragePort["transact"]>[0],
    work: (tx: StorageTx) => Promise<T>,
  ): Promise<T> {
    const store = this;
    return this.#inner.transact(scope, (tx) =>
      work(
        new Proxy(tx, {
          get(target, property, receiver) {
            const value = Reflect.get(target, property, receiver);
            if (typeof value !== "function") return value;
            const write = /^(create|update|put|enqueue|consume|delete)/.test(String(property));
            if (!write) return value.bind(target);
            return async (...args: unknown[]) => {
              store.#reachedGate();
              await store.gate;
              if (store.failWrites) throw new Error("connection lost");
              if (store.failNextWrites > 0) {
                store.failNextWrites -= 1;
                throw new Error("connection lost");
              }
              return value.apply(target, args);
            };
          },
        }),
      ),
    );
  }
}

/** A mailer that holds every message until `release()`, like a mail server that hangs. */
function hangingMailer(inner: Mailer) {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const mailer: Mailer = {
    send: async (message, envelope) => {
      await held;
      return inner.send(message, envelope);
    },
  };
  return { mailer, release };
}

async function gatedWorld(options: { maxBackgroundWork?: number; mailer?: Mailer } = {}) {
  const memory = new MemoryStore();
  const w = await worldWithPanel({ store: memory });
  await w.member(PERSON);
  const store = new GatedStore(memory);
  const { mailer = w.mailer, ...rest } = options;
  const panelAccess = createPanelAccess(
    { store, clock: w.clock, mailer, events: w.events },
    {
      appUrl: "https://app.example.test",
      argon2: TEST_ARGON2,
      allowWeakHashing: true,
      twoFactor: testTwoFactorOptions(),
      ...rest,
    },
  );
  return { w, store, panelAccess };
}

describe("answers that do not wait for one branch's work (PWD-2 v2, LCK-8 v2)", () => {
  it("PWD-2 v2: forgot-password answers before the registered account's link and mail are written; settled() waits for them", async () => {
    const { w, store, panelAccess } = await gatedWorld();
    const open = store.close();
    const answer = await panelAccess.forgotPassword({ email: PERSON });
    expect(answer.isOk()).toBe(true);
    expect(w.mailer.to(PERSON, "passwordReset")).toEqual([]);
    open();
    await panelAccess.settled();
    expect(w.mailer.to(PERSON, "passwordReset")).toHaveLength(1);
  });

  it("PWD-2 v2: past maxBackgroundWork unfinished forgot-password works, the next answer waits for a slot, whatever the e-mail", async () => {
    const { w, store, panelAccess } = await gatedWorld({ maxBackgroundWork: 1 });
    const open = store.close();
    expect((await panelAccess.forgotPassword({ email: PERSON })).isOk()).toBe(true);
    await store.reached;
    let answered = false;
    const second = panelAccess.forgotPassword({ email: "nobody@example.com" });
    void Promise.resolve(second).then(() => {
      answered = true;
    });
    // Let every callback already queued run: an answer not waiting for a slot would arrive now.
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    open();
    expect((await second).isOk()).toBe(true);
    await panelAccess.settled();
    expect(w.mailer.to(PERSON, "passwordReset")).toHaveLength(1);
  });

  it("PWD-2 v2, MAIL-2: a hanging mail server holds no slot: with one slot, others' answers do not wait for a registered account's mail", async () => {
    const hanging = hangingMailer(new RecordingMailer());
    const { panelAccess } = await gatedWorld({ maxBackgroundWork: 1, mailer: hanging.mailer });
    for (let i = 0; i < 5; i++) {
      expect((await panelAccess.forgotPassword({ email: PERSON })).isOk()).toBe(true);
      expect((await panelAccess.forgotPassword({ email: `nobody-${i}@example.com` })).isOk()).toBe(
        true,
      );
    }
    hanging.release();
    await panelAccess.settled();
  });

  it("PWD-2 v2: past ten times maxBackgroundWork requests waiting, the answer is BUSY at once, the same for every e-mail", async () => {
    const { store, panelAccess } = await gatedWorld({ maxBackgroundWork: 1 });
    const open = store.close();
    const waiting = [panelAccess.forgotPassword({ email: PERSON })];
    await store.reached;
    for (let i = 0; i < 10; i++) {
      waiting.push(panelAccess.forgotPassword({ email: `queued-${i}@example.com` }));
    }
    for (const email of [PERSON, "nobody@example.com"]) {
      expect(await panelAccess.forgotPassword({ email })).toEqual(err({ type: "BUSY" }));
    }
    open();
    for (const answer of await Promise.all(waiting)) expect(answer.isOk()).toBe(true);
    await panelAccess.settled();
  });

  it("PWD-2 v2: a failure after the answer is reported as a backgroundWork.failed event, never to the caller or as an exception", async () => {
    const { w, store, panelAccess } = await gatedWorld();
    store.failWrites = true;
    expect((await panelAccess.forgotPassword({ email: PERSON })).isOk()).toBe(true);
    await panelAccess.settled();
    expect(w.events.ofType("backgroundWork.failed")).toEqual([
      expect.objectContaining({ operation: "forgotPassword", reason: "STORAGE_FAILED" }),
    ]);
    expect(JSON.stringify(w.events.ofType("backgroundWork.failed"))).not.toContain(PERSON);
    expect(w.mailer.to(PERSON, "passwordReset")).toEqual([]);
  });

  it("LCK-8 v2: a wrong password is answered before its failure count is written, and the count still holds for the next attempt", async () => {
    const { w, store, panelAccess } = await gatedWorld();
    const open = store.close();
    const answer = await panelAccess.login({ email: PERSON, password: "not the password" });
    expect(answer).toMatchObject({ error: { type: "LOGIN_FAILED" } });
    expect(w.events.ofType("login.failed").filter((e) => e.email === PERSON)).toEqual([]);
    open();
    await panelAccess.settled();
    const account = await w.store.transact({}, (tx) => tx.findAccountByEmail(PERSON));
    expect(account?.lockout.consecutiveFailures).toBe(1);
    expect(w.events.ofType("login.failed").at(-1)).toMatchObject({ reason: "wrongPassword" });
  });

  it("LCK-7, LCK-8 v2: a wrong password's count lost after its answer is written again; no guess is free", async () => {
    const { w, store, panelAccess } = await gatedWorld();
    store.failNextWrites = 1;
    for (let i = 0; i < 6; i++) {
      const answer = await panelAccess.login({ email: PERSON, password: "not the password" });
      expect(answer).toEqual(err({ type: "LOGIN_FAILED" }));
      await panelAccess.settled();
    }
    const account = await w.store.transact({}, (tx) => tx.findAccountByEmail(PERSON));
    expect(account?.lockout.lockedAt).not.toBeNull();
    expect(w.events.ofType("backgroundWork.failed")).toEqual([]);
    expect(await panelAccess.login({ email: PERSON, password: PASSWORD })).toEqual(
      err({ type: "LOGIN_FAILED" }),
    );
  });

  it("LCK-8 v2: a count that cannot be written even then is reported with its account, never to the caller", async () => {
    const { w, store, panelAccess } = await gatedWorld();
    store.failWrites = true;
    const answer = await panelAccess.login({ email: PERSON, password: "not the password" });
    expect(answer).toEqual(err({ type: "LOGIN_FAILED" }));
    await panelAccess.settled();
    const account = await w.store.transact({}, (tx) => tx.findAccountByEmail(PERSON));
    expect(w.events.ofType("backgroundWork.failed")).toEqual([
      expect.objectContaining({
        operation: "login",
        reason: "STORAGE_FAILED",
        accountId: account?.id,
      }),
    ]);
  });

  it("LCK-8 v2: a correct password still answers only after its commit", async () => {
    const { store, panelAccess } = await gatedWorld();
    const open = store.close();
    let answered = false;
    const pending = panelAccess.login({ email: PERSON, password: PASSWORD });
    void Promise.resolve(pending).then(() => {
      answered = true;
    });
    await store.reached;
    // Let every callback already queued run: an answer not waiting for the write would arrive now.
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    open();
    expect((await pending).isOk()).toBe(true);
  });
});
