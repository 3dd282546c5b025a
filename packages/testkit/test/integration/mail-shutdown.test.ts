import { describe, expect, it } from "vitest";
import { HeldMailer } from "../support/held-mailer.js";
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
 * MAIL-2, MAIL-4: an instance shut down in the middle of a dispatcher round
 * loses no message and sends none twice: the sends under way finish and are
 * recorded, the messages not yet begun stay pending, unclaimed, and another
 * instance sends them at once.
 */
useSmtpPeer();

describe.each(stores)("MAIL-2 graceful shutdown on %s", (_, newStore) => {
  it("MAIL-2: shutdown() mid-batch: the 2 sends under way finish and are recorded, the 8 not begun stay unclaimed and another instance sends them at once; every invitation arrives exactly once", async () => {
    const world = await app(newStore, { awaitSending: false });
    const p = await panel(world);
    // The administrators' instance only queues; a worker instance sends.
    const queueing = world.instance(smtpMailer(), { sendAfterCommit: false }).panelAccess;
    const emails = Array.from({ length: 10 }, person);
    for (const email of emails)
      (await invite({ ...p, panelAccess: queueing }, email))._unsafeUnwrap();

    const held = new HeldMailer(smtpMailer());
    const worker = world.instance(held, { concurrency: 2, sendAfterCommit: false }).panelAccess;
    worker.startMailDispatcher({ every: 60_000 });
    await held.begun(2); // mid-batch: two sends under way, eight messages still due
    const stopping = worker.shutdown({ timeout: 20_000 });
    held.release();
    const report = await stopping;

    expect(report).toMatchObject({ settled: true, unfinished: 0 });
    expect(held.started).toBe(2); // no sender claimed another message once shutdown began
    const sent = (await queueing.listMail({ actor: operator, status: "sent" }))._unsafeUnwrap();
    expect(sent.filter((m) => m.kind === "invitation")).toHaveLength(1 + 2); // the administrator's, then the two
    // The other eight are not held by anyone: no clock move is needed.
    const other = world.instance(smtpMailer(), {}).panelAccess;
    expect((await other.dispatchMail())._unsafeUnwrap()).toEqual({
      sent: 8,
      retrying: 0,
      failed: 0,
    });
    for (const email of emails) expect(peer.to(email)).toHaveLength(1);
    expect(
      (await queueing.listMail({ actor: operator, status: "pending" }))._unsafeUnwrap(),
    ).toEqual([]);
  });

  it("MAIL-4: after shutdown() a use case still answers, and its message is not sent from this instance but left pending for another", async () => {
    const world = await app(newStore, { awaitSending: false });
    const p = await panel(world);
    const held = new HeldMailer(smtpMailer());
    const closing = world.instance(held).panelAccess;
    expect(await closing.shutdown()).toMatchObject({ settled: true, unfinished: 0 });
    const email = person();
    (await invite({ ...p, panelAccess: closing }, email))._unsafeUnwrap();
    await closing.settled();
    expect(held.started).toBe(0);
    expect((await closing.dispatchMail())._unsafeUnwrap().sent).toBe(0); // claims nothing either
    expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(1);
    expect(peer.to(email)).toHaveLength(1);
  });

  it("MAIL-4: shutdown() waits at most its timeout for a send that hangs, and says how much is unfinished", async () => {
    const world = await app(newStore, { awaitSending: false });
    const p = await panel(world);
    const held = new HeldMailer(smtpMailer());
    const hanging = world.instance(held).panelAccess;
    (await invite({ ...p, panelAccess: hanging }, person()))._unsafeUnwrap();
    await held.begun(1);
    const report = await hanging.shutdown({ timeout: 50 });
    expect(report).toMatchObject({ settled: false, unfinished: 1 });
    held.release();
    await hanging.settled();
  });
});
