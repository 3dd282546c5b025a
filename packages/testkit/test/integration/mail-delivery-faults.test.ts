import { describe, expect, it } from "vitest";
import {
  app,
  invite,
  panel,
  peer,
  person,
  startPeerAgain,
  stopPeer,
  stores,
  tokenIn,
  useSmtpPeer,
} from "../support/mail-delivery.js";

/** MAIL-2: the SMTP server refuses, is down or hangs; nothing is lost, nothing is sent twice. */
useSmtpPeer();

describe.each(stores)(
  "MAIL-2 delivery through the outbox on %s, to a real SMTP server",
  (_, newStore) => {
    it("MAIL-2: the server refuses (451, then 550): the member is added, the invitation waits and arrives exactly once", async () => {
      const world = await app(newStore);
      const p = await panel(world);
      const email = person();
      peer.mode = "refuse";
      expect((await invite(p, email))._unsafeUnwrap().notice).toBe("invitation");
      expect(peer.to(email)).toEqual([]);
      const [failure] = world.events.ofType("mail.failed");
      expect(failure).toMatchObject({ kind: "invitation", attempts: 1, reason: "EENVELOPE 451" });
      expect(failure?.retryAt?.toMillis()).toBe(world.clock.now().plus({ minutes: 1 }).toMillis());
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(0); // not due yet
      world.clock.advance({ minutes: 1 });
      peer.mode = "refuse550";
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap()).toEqual({
        sent: 0,
        retrying: 1,
        failed: 0,
      });
      world.clock.advance({ minutes: 2 });
      peer.mode = "accept";
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap()).toEqual({
        sent: 1,
        retrying: 0,
        failed: 0,
      });
      world.clock.advance({ hours: 2 });
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(0);
      expect(peer.to(email)).toHaveLength(1);
      const registered = await p.panelAccess.register({
        token: tokenIn(email),
        password: "a long new password",
      });
      expect(registered.isOk()).toBe(true);
    });

    it("MAIL-2: the server is down (connection refused): the reset link is kept and its mail arrives once the server is back", async () => {
      const world = await app(newStore);
      const p = await panel(world);
      const email = person();
      (await invite(p, email))._unsafeUnwrap();
      (
        await p.panelAccess.register({ token: tokenIn(email), password: "a long first password" })
      )._unsafeUnwrap();
      await stopPeer();
      expect((await p.panelAccess.forgotPassword({ email })).isOk()).toBe(true);
      await p.panelAccess.settled();
      expect(world.events.ofType("mail.failed")).toEqual([
        expect.objectContaining({
          kind: "passwordReset",
          reason: expect.stringMatching(/^(ECONNECTION|ESOCKET)/),
        }),
      ]);
      await startPeerAgain();
      world.clock.advance({ minutes: 1 });
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(1);
      expect(peer.to(email).map((r) => r.parsed.subject)).toEqual([
        "You are invited to Acme",
        "Reset your Panel Access password",
      ]);
      const reset = await p.panelAccess.resetPassword({
        token: tokenIn(email),
        password: "a long second password",
      });
      expect(reset.isOk()).toBe(true);
    });

    it("MAIL-2: the server hangs (the client times out): the message stays pending and is sent exactly once later", async () => {
      const world = await app(newStore);
      const p = await panel(world);
      const email = person();
      peer.mode = "hang";
      expect((await invite(p, email)).isOk()).toBe(true);
      expect(world.events.ofType("mail.failed")).toEqual([
        expect.objectContaining({
          kind: "invitation",
          reason: expect.stringMatching(/^ETIMEDOUT/),
        }),
      ]);
      peer.mode = "accept";
      world.clock.advance({ minutes: 1 });
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(1);
      world.clock.advance({ hours: 1 });
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(0);
      expect(peer.to(email)).toHaveLength(1);
    });
  },
);
