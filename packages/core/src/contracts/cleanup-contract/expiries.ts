import { type DateTime, Duration } from "luxon";
import { expect, it } from "vitest";
import { aMessage, aRememberedBrowser, aSession, T0, uniqueId } from "../../testing/records.js";
import { heldUnit } from "../held-unit.js";
import { type CleanupFactory, daysAgo, NOTHING, NOW, subjectWithAccount } from "./subject.js";

/** Sessions (SES-1), remembered browsers (TFA-7), the outbox (MAIL-2) and throttle counters (LCK-9). */
export function runExpiryCleanupContract(factory: CleanupFactory): void {
  it("SES-1, cleanup: a session goes at its absolute expiry; one that expires later stays, however long unused", async () => {
    const { account, write, read, cleanup } = await subjectWithAccount(factory);
    const ended = aSession(account.id, { expiresAt: NOW.minus({ hours: 1 }) });
    const endsNow = aSession(account.id, { expiresAt: NOW });
    const idle = aSession(account.id, { createdAt: daysAgo(80), lastUsedAt: daysAgo(80) });
    const live = { ...idle, id: uniqueId("ses"), expiresAt: NOW.plus({ milliseconds: 1 }) };
    await write(async (tx) => {
      for (const session of [ended, endsNow, live]) await tx.createSession(session);
    });
    expect(await cleanup({ now: NOW })).toEqual({ ...NOTHING, sessions: 2 });
    await read(async (tx) => {
      expect(await tx.findSession(ended.id)).toBeNull();
      expect(await tx.findSession(endsNow.id)).toBeNull();
      expect(await tx.findSession(live.id)).not.toBeNull();
    });
  });

  it("SES-3, SES-1, cleanup: a session past its absolute end that a touch holds at that moment is never deleted under it: both finish, the session goes exactly once, by the next run at the latest, and the touch does not bring it back", async () => {
    const { account, write, read, cleanup } = await subjectWithAccount(factory);
    const ended = aSession(account.id, {
      createdAt: daysAgo(40),
      lastUsedAt: daysAgo(40),
      expiresAt: NOW.minus({ minutes: 1 }),
    });
    await write((tx) => tx.createSession(ended));
    const {
      unit: touch,
      held,
      release,
    } = heldUnit(read, (tx) => tx.touchSession(ended.id, NOW, NOW.minus({ minutes: 1 })));
    await held;
    // PostgreSQL's DELETE waits for the row lock; the memory store passes the row over
    const during = cleanup({ now: NOW });
    release();
    expect(await touch).toBe("touched");
    const first = await during;
    const second = await cleanup({ now: NOW });
    expect(first.sessions + second.sessions).toBe(1);
    expect(await read((tx) => tx.findSession(ended.id))).toBeNull();
  });

  it("TFA-7, cleanup: a remembered browser goes at its expiry; one that expires later stays", async () => {
    const { account, write, read, cleanup } = await subjectWithAccount(factory);
    const expired = aRememberedBrowser(account.id, { expiresAt: NOW.minus({ days: 1 }) });
    const expiresNow = aRememberedBrowser(account.id, { expiresAt: NOW });
    const live = aRememberedBrowser(account.id, { expiresAt: NOW.plus({ milliseconds: 1 }) });
    await write(async (tx) => {
      for (const browser of [expired, expiresNow, live]) await tx.createRememberedBrowser(browser);
    });
    expect(await cleanup({ now: NOW })).toEqual({ ...NOTHING, rememberedBrowsers: 2 });
    await read(async (tx) => {
      const left = await tx.listRememberedBrowsers(account.id);
      expect(left.map((browser) => browser.id)).toEqual([live.id]);
    });
  });

  it("MAIL-2, cleanup: sent mail goes more than 30 days after it was sent; pending and failed mail never goes", async () => {
    const { account, write, read, cleanup } = await subjectWithAccount(factory);
    const longAgo = {
      createdAt: T0.minus({ days: 365 }),
      nextAttemptAt: T0.minus({ days: 365 }),
    };
    const sent = (sentAt: DateTime) =>
      aMessage(account.id, { ...longAgo, status: "sent", sentAt, payload: null, attempts: 1 });
    const gone = sent(daysAgo(30).minus({ milliseconds: 1 }));
    const kept = [sent(daysAgo(30)), sent(daysAgo(29))];
    const pending = aMessage(account.id, longAgo);
    const failed = aMessage(account.id, {
      ...longAgo,
      status: "failed",
      attempts: 8,
      lastError: "SMTP_REJECTED",
    });
    await write(async (tx) => {
      for (const message of [gone, ...kept, pending, failed]) await tx.enqueueMail(message);
    });
    expect(await cleanup({ now: NOW })).toEqual({ ...NOTHING, sentMail: 1 });
    await read(async (tx) => {
      const ids = async (status: "sent" | "pending" | "failed") =>
        (await tx.listMail(status, 10)).map((m) => m.id).sort();
      expect(await ids("sent")).toEqual(kept.map((m) => m.id).sort());
      expect(await ids("pending")).toEqual([pending.id]);
      expect(await ids("failed")).toEqual([failed.id]);
    });
  });

  it("LCK-9, cleanup: throttle counters decayed below 0.01 go, each by its own half-life; one changed after now stays", async () => {
    const { throttle, cleanup } = await factory.create();
    const [short, long, ahead] = [uniqueId("short"), uniqueId("long"), uniqueId("ahead")];
    const hour = Duration.fromObject({ hours: 1 });
    const month = Duration.fromObject({ days: 30 });
    const now = T0.plus({ days: 1 });
    await throttle.add(
      [
        { key: short, amount: 5, halfLife: hour }, // 5 · 2^-24 by now: gone
        { key: long, amount: 5, halfLife: month }, // 5 · 2^(-1/30): kept
      ],
      T0,
    );
    // changed "after" the cleanup's now (another instance's clock is ahead): no time has passed for it
    await throttle.add([{ key: ahead, amount: 1, halfLife: hour }], now.plus({ days: 1 }));
    expect(await cleanup({ now })).toEqual({ ...NOTHING, throttleCounters: 1 });
    expect(await cleanup({ now })).toEqual(NOTHING);
    // what went starts again from nothing; what stayed kept its count
    expect(await throttle.add([{ key: short, amount: 1, halfLife: hour }], now)).toEqual([1]);
    const [kept] = await throttle.add([{ key: long, amount: 0, halfLife: month }], now);
    expect(kept).toBeCloseTo(5 * 2 ** (-1 / 30), 6);
    expect(await throttle.add([{ key: ahead, amount: 0, halfLife: hour }], now)).toEqual([1]);
  });
}
