import type { Logger, MailEnvelope, Mailer, MailIntent } from "@panel-access/core";
import {
  createInMemoryPanelAccess,
  MemoryStore,
  testTwoFactorOptions,
} from "@panel-access/testkit";
import { describe, expect, it } from "vitest";
import { worldWithPanel } from "../../support/world.js";

/** A mailer that holds every send until `release()`; no timer. */
class GateMailer implements Mailer {
  readonly begun: { to: string; messageId: string; attempt: number }[] = [];
  #open = false;
  #release: () => void = () => {};
  readonly #gate = new Promise<void>((resolve) => {
    this.#release = resolve;
  });
  #waiters: { count: number; resolve: () => void }[] = [];

  async send(message: MailIntent, envelope: MailEnvelope): Promise<void> {
    this.begun.push({ to: message.to, messageId: envelope.messageId, attempt: envelope.attempt });
    for (const waiter of this.#waiters.filter((w) => this.begun.length >= w.count))
      waiter.resolve();
    if (!this.#open) await this.#gate;
  }

  /** Resolves once `count` sends have begun. */
  started(count: number): Promise<void> {
    if (this.begun.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  release(): void {
    this.#open = true;
    this.#release();
  }
}

/** A panel, and `count` invitations queued (not sent) on a store shared with a worker instance. */
async function queued(count: number) {
  const store = new MemoryStore();
  const twoFactor = testTwoFactorOptions();
  const w = await worldWithPanel({ store, twoFactor });
  const queueing = createInMemoryPanelAccess({
    store,
    twoFactor,
    mail: { sendAfterCommit: false },
  });
  const emails = Array.from({ length: count }, (_, i) => `person${i}@example.com`);
  for (const email of emails) {
    (
      await queueing.panelAccess.addMember({
        actor: w.admin,
        panelId: w.panelId,
        email,
        role: "analyst",
        access: { type: "permanent" },
      })
    )._unsafeUnwrap();
  }
  return { store, twoFactor, emails };
}

describe("MAIL-2, MAIL-4: messages claimed ahead of their send", () => {
  it("MAIL-4: a message claimed ahead that waited until less than half its claim was left is given back unsent, even with more than the longest send left; one that waited less begins", async () => {
    for (const [waited, begins] of [
      [6, false],
      [4, true],
    ] as const) {
      const { store, twoFactor } = await queued(2);
      const gate = new GateMailer();
      const worker = createInMemoryPanelAccess({
        store,
        twoFactor,
        forwardMailTo: gate,
        mail: { concurrency: 1, sendAfterCommit: false },
      });
      const round = worker.panelAccess.dispatchMail();
      await gate.started(1);
      // Of the claim's 10 minutes, 4 or 6 are left: more than mail.sendTimeout
      // (2 minutes) plus the settle retries either way.
      worker.clock.advance({ minutes: waited });
      gate.release();
      expect((await round)._unsafeUnwrap().sent).toBe(begins ? 2 : 1);
      expect(gate.begun).toHaveLength(begins ? 2 : 1);
    }
  });

  it("MAIL-4: a message claimed ahead that waited behind a slow send until too little of its claim was left for a send is given back unsent (not attempted), free at once for the next round, and sent once, its attempt not counted", async () => {
    const { store, twoFactor, emails } = await queued(2);
    const gate = new GateMailer();
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: (message) => void warnings.push(message),
      error: () => {},
    };
    const worker = createInMemoryPanelAccess({
      store,
      twoFactor,
      forwardMailTo: gate,
      logger,
      mail: { concurrency: 1, sendAfterCommit: false },
    });
    const round = worker.panelAccess.dispatchMail();
    await gate.started(1); // the first is being sent, the second waits, claimed
    // The send takes 8 of the claim's 10 minutes: 2 are left, less than
    // mail.sendTimeout (2 minutes) plus the settle retries.
    worker.clock.advance({ minutes: 8 });
    gate.release();
    expect((await round)._unsafeUnwrap()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(warnings).toContain("mail given back unsent: too little of its claim left");
    // Given back: free at once (no clock move), its attempt not counted.
    expect((await worker.panelAccess.dispatchMail())._unsafeUnwrap()).toEqual({
      sent: 1,
      retrying: 0,
      failed: 0,
    });
    expect(gate.begun.map((b) => b.attempt)).toEqual([1, 1]);
    expect(gate.begun.map((b) => b.to).sort()).toEqual([...emails].sort());
    expect(worker.mailer.sent.map((m) => m.to).sort()).toEqual([...emails].sort());
  });

  it("MAIL-2: shutdown() while every sender hangs gives back at once the messages claimed ahead: another instance sends them before the hanging sends end, and every message arrives once", async () => {
    const { store, twoFactor, emails } = await queued(4);
    const gate = new GateMailer();
    const worker = createInMemoryPanelAccess({
      store,
      twoFactor,
      forwardMailTo: gate,
      mail: { concurrency: 2, sendAfterCommit: false },
    });
    const round = worker.panelAccess.dispatchMail();
    await gate.started(2); // two senders hang; two more messages are claimed ahead
    const stopping = worker.panelAccess.shutdown({ timeout: Number.POSITIVE_INFINITY });
    const other = createInMemoryPanelAccess({ store, twoFactor });
    let sent = 0;
    // Without moving the clock: what was given back is free at once.
    for (let attempt = 0; attempt < 10 && sent < 2; attempt++)
      sent += (await other.panelAccess.dispatchMail())._unsafeUnwrap().sent;
    expect(sent).toBe(2);
    expect(gate.begun).toHaveLength(2); // still hanging: nothing else begun on the worker
    gate.release();
    expect((await round)._unsafeUnwrap()).toEqual({ sent: 2, retrying: 0, failed: 0 });
    expect(await stopping).toMatchObject({ settled: true, unfinished: 0 });
    const all = [...worker.mailer.sent, ...other.mailer.sent].map((m) => m.to).sort();
    expect(all).toEqual([...emails].sort());
    expect((await other.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(0);
  });
});
