import { MemoryStore } from "@panel-access/adapter-memory";
import {
  createPanelAccess,
  type LockScope,
  type StoragePort,
  type StorageTx,
} from "@panel-access/core";
import { describe, expect, it } from "vitest";
import { countingHasher, PASSWORD, resetTokenOf, worldWithPanel } from "../../support/world.js";

const HOT = "hot@example.com";
const COLD = "cold@example.com";

/**
 * A store that counts the units of work running at once for the hot e-mail,
 * and can hold them at the door until released (like a busy database).
 */
class WatchedStore implements StoragePort {
  running = 0;
  mostAtOnce = 0;
  #gate: Promise<void> = Promise.resolve();
  constructor(readonly inner: MemoryStore) {}
  hold(): () => void {
    let release = () => {};
    this.#gate = new Promise((resolve) => {
      release = resolve;
    });
    return release;
  }
  async transact<T>(scope: LockScope, work: (tx: StorageTx) => Promise<T>): Promise<T> {
    if (!scope.accounts?.includes(HOT)) return this.inner.transact(scope, work);
    this.running += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    try {
      await this.#gate;
      return await this.inner.transact(scope, work);
    } finally {
      this.running -= 1;
    }
  }
}

async function hotWorld(maxQueuedPerAccount?: number) {
  const memory = new MemoryStore();
  const seed = await worldWithPanel({ store: memory });
  await seed.member(HOT);
  await seed.member(COLD);
  const store = new WatchedStore(memory);
  const panelAccess = createPanelAccess(
    { store, clock: seed.clock, mailer: seed.mailer, events: seed.events },
    {
      ...seed.panelAccess.options,
      ...(maxQueuedPerAccount !== undefined && { maxQueuedPerAccount }),
    },
  );
  return { store, panelAccess };
}

describe("one hot account never starves the others (LCK-7 v2)", () => {
  it("LCK-7 v2: of 30 parallel logins for one e-mail, one at a time waits on the store; the rest queue in process", async () => {
    const { store, panelAccess } = await hotWorld(100);
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        panelAccess.login({ email: HOT, password: "wrong password" }),
      ),
    );
    await panelAccess.settled();
    expect(store.mostAtOnce).toBe(1);
    expect(answers.filter((a) => a.isErr() && a.error.type === "LOGIN_FAILED")).toHaveLength(30);
  });

  it("LCK-7 v2: past maxQueuedPerAccount waiting, a request is refused at once with TOO_MANY_ATTEMPTS; another account's login goes through meanwhile", async () => {
    const { store, panelAccess } = await hotWorld(2);
    const release = store.hold();
    const hot = Array.from({ length: 6 }, () =>
      panelAccess.login({ email: HOT, password: "wrong password" }),
    );
    const refused = await Promise.all(hot.slice(3));
    for (const answer of refused) {
      expect(answer.isErr() && answer.error.type).toBe("TOO_MANY_ATTEMPTS");
    }
    const cold = await panelAccess.login({ email: COLD, password: PASSWORD });
    expect(cold.isOk()).toBe(true);
    release();
    const admitted = await Promise.all(hot.slice(0, 3));
    for (const answer of admitted) expect(answer.isErr() && answer.error.type).toBe("LOGIN_FAILED");
    await panelAccess.settled();
    expect(store.mostAtOnce).toBe(1);
  });

  it("LCK-7 v2, PWD-3: one reset link submitted 20 times at once costs one hash; one succeeds, the rest are refused", async () => {
    const counting = countingHasher();
    const w = await worldWithPanel({ passwordHasher: counting.hasher });
    await w.member(HOT);
    (await w.panelAccess.forgotPassword({ email: HOT }))._unsafeUnwrap();
    await w.panelAccess.settled();
    const token = resetTokenOf(w, HOT);
    const hashesBefore = counting.hashed.length;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        w.panelAccess.resetPassword({ token, password: "a brand new passphrase" }),
      ),
    );
    const types = answers.map((a) => (a.isErr() ? a.error.type : "ok"));
    expect(types.filter((t) => t === "ok")).toHaveLength(1);
    expect(
      types.filter((t) => t !== "ok" && t !== "RESET_LINK_USED" && t !== "TOO_MANY_ATTEMPTS"),
    ).toEqual([]);
    expect(counting.hashed.length - hashesBefore).toBe(1);
  });
});
