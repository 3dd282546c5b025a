import { MemoryStore } from "@panel-access/adapter-memory";
import type { StoragePort, StorageTx } from "@panel-access/core";
import { testTwoFactorOptions } from "@panel-access/testkit";
import { describe, expect, it } from "vitest";
import { worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";

/** A store whose `method` starts failing when `failing.on` is set, like a lost connection. */
class FlakyStore implements StoragePort {
  failing = { on: false, method: "putMembership" as keyof StorageTx };
  constructor(private readonly inner: MemoryStore) {}
  transact<T>(
    scope: Parameters<StoragePort["transact"]>[0],
    work: (tx: StorageTx) => Promise<T>,
  ): Promise<T> {
    return this.inner.transact(scope, (tx) => {
      const failing = this.failing;
      const flaky = new Proxy(tx, {
        get(target, property, receiver) {
          if (failing.on && property === failing.method)
            return () => Promise.reject(new Error("connection lost"));
          const value = Reflect.get(target, property, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      return work(flaky);
    });
  }
}

describe("infrastructure failures", () => {
  it("INP-1, MAIL-2: a storage failure mid-way is a STORAGE_FAILED error, leaves no partial write and sends nothing", async () => {
    const memory = new MemoryStore();
    const flaky = new FlakyStore(memory);
    const w = await worldWithPanel({ store: memory });
    const { createPanelAccess } = await import("@panel-access/core");
    const panelAccess = createPanelAccess(
      { store: flaky, clock: w.clock, mailer: w.mailer, events: w.events },
      { appUrl: "https://app.example.test", twoFactor: testTwoFactorOptions() },
    );
    const before = memory.snapshot();
    const mailBefore = w.mailer.sent.length;
    flaky.failing.on = true; // the account is created first, then putMembership fails
    const result = await panelAccess.addMember({
      actor: w.admin,
      panelId: w.panelId,
      email: PERSON,
      role: "analyst",
      access: { type: "permanent" },
    });
    expect(result._unsafeUnwrapErr()).toMatchObject({
      type: "STORAGE_FAILED",
      cause: new Error("connection lost"),
    });
    expect(memory.snapshot()).toEqual(before);
    expect(w.mailer.sent.length).toBe(mailBefore);
  });

  it("MAIL-2: a failed send keeps the state change, reports mail.failed, and the invitation can be resent", async () => {
    const w = await worldWithPanel();
    w.mailer.failWith();
    const grant = await w.panelAccess.addMember({
      actor: w.admin,
      panelId: w.panelId,
      email: PERSON,
      role: "analyst",
      access: { type: "permanent" },
    });
    expect(grant._unsafeUnwrap().notice).toBe("invitation");
    expect(w.events.ofType("mail.failed")).toEqual([
      expect.objectContaining({ kind: "invitation" }),
    ]);
    w.mailer.recover();
    const resent = await w.panelAccess.resendInvitation({
      actor: w.admin,
      panelId: w.panelId,
      email: PERSON,
    });
    expect(resent.isOk()).toBe(true);
    expect(w.mailer.to(PERSON, "invitation")).toHaveLength(1);
  });
});
