import type { Actor, Mailer } from "@panel-access/core";
import { describe, expect, it } from "vitest";
import {
  app,
  invite,
  panel,
  peer,
  person,
  smtpMailer,
  startPeerAgain,
  stopPeer,
  stores,
  tokenIn,
  useSmtpPeer,
} from "../support/mail-delivery.js";

/** MAIL-2: an instance that dies, and a message that failed for good, are recovered exactly once. */
useSmtpPeer();

describe.each(stores)(
  "MAIL-2 delivery through the outbox on %s, to a real SMTP server",
  (_, newStore) => {
    it("MAIL-2: an instance that dies before or while sending loses nothing: another sends each message once", async () => {
      const world = await app(newStore);
      const p = await panel(world);
      const first = person();
      const second = person();
      // Instance A commits the first invitation and dies before sending it.
      const a = world.instance(smtpMailer(), { sendAfterCommit: false }).panelAccess;
      (await invite({ ...p, panelAccess: a }, first))._unsafeUnwrap();
      // The second invitation's first attempt fails: it waits for a retry.
      peer.mode = "refuse";
      (await invite(p, second))._unsafeUnwrap();
      peer.mode = "accept";
      world.clock.advance({ minutes: 1 });
      // Instance C claims both and dies while sending: its mailer never answers.
      let handedOver = 0;
      let bothHandedOver = () => {};
      const dying = new Promise<void>((resolve) => {
        bothHandedOver = resolve;
      });
      const stuck: Mailer = {
        send: () => {
          handedOver += 1;
          if (handedOver === 2) bothHandedOver();
          return new Promise<void>(() => {});
        },
      };
      void world.instance(stuck).panelAccess.dispatchMail();
      await dying;
      const b = world.instance().panelAccess;
      expect((await b.dispatchMail())._unsafeUnwrap().sent).toBe(0); // still held by C's claim
      world.clock.advance({ minutes: 10 }); // C's claim runs out (mail.claimFor)
      expect((await b.dispatchMail())._unsafeUnwrap().sent).toBe(2);
      expect((await b.dispatchMail())._unsafeUnwrap().sent).toBe(0);
      expect(peer.to(first)).toHaveLength(1);
      expect(peer.to(second)).toHaveLength(1);
    });

    it("MAIL-2: after the last attempt a message is failed, listed for support, and retryMail sends it exactly once", async () => {
      const world = await app(newStore, { maxAttempts: 2 });
      const p = await panel(world);
      const email = person();
      await stopPeer();
      (await invite(p, email))._unsafeUnwrap();
      world.clock.advance({ minutes: 1 });
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap()).toEqual({
        sent: 0,
        retrying: 0,
        failed: 1,
      });
      expect(world.events.ofType("mail.failed").map((e) => e.retryAt)).toEqual([
        expect.anything(),
        null,
      ]);
      const operator: Actor = { type: "operator", operatorId: "support" };
      const failed = (await p.panelAccess.listMail({ actor: operator }))._unsafeUnwrap();
      expect(failed).toEqual([
        expect.objectContaining({
          kind: "invitation",
          status: "failed",
          attempts: 2,
          lastError: expect.stringMatching(/^(ECONNECTION|ESOCKET)/),
        }),
      ]);
      expect(JSON.stringify(failed)).not.toContain("token");
      expect((await p.panelAccess.listMail({ actor: p.admin }))._unsafeUnwrapErr().type).toBe(
        "FORBIDDEN",
      );
      world.clock.advance({ days: 1 });
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(0); // failed stays failed
      await startPeerAgain();
      const messageId = failed[0]?.messageId ?? "";
      expect((await p.panelAccess.retryMail({ actor: operator, messageId })).isOk()).toBe(true);
      expect(
        (await p.panelAccess.retryMail({ actor: operator, messageId }))._unsafeUnwrapErr().type,
      ).toBe("MAIL_NOT_FAILED");
      expect((await p.panelAccess.dispatchMail())._unsafeUnwrap().sent).toBe(1);
      expect(peer.to(email)).toHaveLength(1);
      expect(peer.to(email)[0]?.parsed.messageId).toBe(`<${messageId}@acme.example>`);
      expect(
        (
          await p.panelAccess.register({ token: tokenIn(email), password: "a long new password" })
        ).isOk(),
      ).toBe(true);
    });
  },
);
