import { MemoryStore } from "@panel-access/adapter-memory";
import { createPanelAccess, PanelAccessConfigError } from "@panel-access/core";
import { ManualClock, RecordingMailer } from "@panel-access/core/testing";
import { TEST_ARGON2, testTwoFactorOptions } from "@panel-access/testkit";
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
 * MAIL-4: sends after commits are bounded per instance (`mail.maxInFlight`),
 * a message still waiting for the mailer is given up after
 * `mail.sendTimeout` (never sent by that attempt), and `claimFor` must
 * outlast that wait: a flood of requests against a slow server piles
 * nothing up and sends nothing twice.
 */
useSmtpPeer();

describe.each(stores)("MAIL-4 bounded sending on %s", (_, newStore) => {
  it("MAIL-4: 12 invitations at once against a slow server with maxInFlight 3: 3 sends begin, the other 9 stay unclaimed for a dispatcher; each arrives exactly once", async () => {
    const world = await app(newStore, { awaitSending: false });
    const p = await panel(world);
    const held = new HeldMailer(smtpMailer());
    const busy = world.instance(held, { awaitSending: false, maxInFlight: 3 }).panelAccess;
    const emails = Array.from({ length: 12 }, person);
    const answers = await Promise.all(
      emails.map((email) => invite({ ...p, panelAccess: busy }, email)),
    );
    for (const answer of answers) expect(answer._unsafeUnwrap().notice).toBe("invitation");
    await held.begun(3);

    const dispatcher = world.instance(smtpMailer(), {}).panelAccess;
    expect((await dispatcher.dispatchMail())._unsafeUnwrap().sent).toBe(9); // not claimed by anyone
    expect(held.started).toBe(3);
    held.release();
    await busy.settled();
    for (const email of emails) expect(peer.to(email)).toHaveLength(1);
    expect((await busy.listMail({ actor: operator, status: "pending" }))._unsafeUnwrap()).toEqual(
      [],
    );
  });

  it("MAIL-4: a message still waiting for the mailer after mail.sendTimeout is given up (SEND_TIMEOUT), never sent by that attempt, and tried again later: it arrives once", async () => {
    const world = await app(newStore, { awaitSending: false });
    const p = await panel(world);
    const queueing = world.instance(smtpMailer(), { sendAfterCommit: false }).panelAccess;
    const email = person();
    (await invite({ ...p, panelAccess: queueing }, email))._unsafeUnwrap();
    const held = new HeldMailer(smtpMailer());
    const slow = world.instance(held, {
      awaitSending: false,
      sendTimeout: { milliseconds: 50 },
    }).panelAccess;

    expect((await slow.dispatchMail())._unsafeUnwrap()).toEqual({
      sent: 0,
      retrying: 1,
      failed: 0,
    });
    const pending = (await slow.listMail({ actor: operator, status: "pending" }))._unsafeUnwrap();
    expect(pending).toEqual([
      expect.objectContaining({ kind: "invitation", attempts: 1, lastError: "SEND_TIMEOUT" }),
    ]);
    expect(held.givenUp).toBe(1);
    held.release(); // the slow server frees up: nothing of the given-up attempt goes out
    world.clock.advance({ minutes: 1 }); // mail.firstRetryDelay: due again, claimed by nobody
    expect((await queueing.dispatchMail())._unsafeUnwrap().sent).toBe(1);
    await slow.settled();
    expect(peer.to(email)).toHaveLength(1);
  });
});

describe("MAIL-4 claims outlast sends", () => {
  it("MAIL-4: options whose claim could run out during a send (claimFor <= sendTimeout + the settle retries) are refused at start-up", () => {
    const start = (mail: Record<string, unknown>) =>
      createPanelAccess(
        { store: new MemoryStore(), mailer: new RecordingMailer(), clock: new ManualClock() },
        {
          appUrl: "https://app.example.test",
          argon2: TEST_ARGON2,
          allowWeakHashing: true,
          twoFactor: testTwoFactorOptions(),
          mail,
        },
      );
    expect(() => start({ claimFor: { minutes: 2 } })).toThrow(PanelAccessConfigError);
    expect(() => start({ claimFor: { minutes: 1 }, sendTimeout: { seconds: 59 } })).toThrow(
      /claimFor must exceed/,
    );
    expect(() => start({ claimFor: { minutes: 1 }, sendTimeout: { seconds: 58 } })).not.toThrow();
  });
});
