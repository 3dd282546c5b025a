import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import {
  app,
  panel,
  peer,
  person,
  smtpMailer,
  stores,
  tokenIn,
  useSmtpPeer,
} from "../support/mail-delivery.js";

/**
 * MAIL-4: a mail server that accepts connections and never says a word (no
 * greeting) does not slow a request; the message leaves once it speaks.
 */
useSmtpPeer();

describe.each(stores)("MAIL-4 a hanging mail server on %s", (_, newStore) => {
  it("MAIL-4: addMember answers in < 200 ms while the server is silent; once it speaks, settled() resolves and the invitation arrives once", async () => {
    const world = await app(newStore, { awaitSending: false }); // production's default
    const p = await panel(world);
    // Its own pool, with the adapter's default timeouts (greeting: 10 s): the
    // invitation needs a new connection, which meets the silence.
    const { panelAccess, recorder } = world.instance(smtpMailer({}));
    const email = person();
    peer.silence();

    const started = performance.now();
    const added = await panelAccess.addMember({
      actor: p.admin,
      panelId: p.panelId,
      email,
      role: "analyst",
      access: { type: "permanent" },
    });
    const elapsedMs = performance.now() - started;

    // The answer came while the server had said nothing: no message can have left.
    expect(added._unsafeUnwrap().notice).toBe("invitation");
    expect(elapsedMs).toBeLessThan(200);
    expect(peer.to(email)).toEqual([]);
    // MAIL-2: the change and its message were committed before the answer.
    const pending = await panelAccess.listMail({
      actor: { type: "operator", operatorId: "support" },
      status: "pending",
    });
    expect(pending._unsafeUnwrap()).toEqual([
      expect.objectContaining({ kind: "invitation", attempts: 0 }),
    ]);

    // The send is under way in the background: the client waits for the greeting.
    await peer.holding();
    let settled = false;
    const settling = panelAccess.settled().then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);

    peer.speak();
    await settling;
    expect(peer.to(email)).toHaveLength(1);
    expect(recorder.envelopes).toEqual([expect.objectContaining({ attempt: 1 })]);
    expect(world.events.ofType("mail.failed")).toEqual([]);
    const registered = await panelAccess.register({
      token: tokenIn(email),
      password: "a long new password",
    });
    expect(registered.isOk()).toBe(true);
  });
});
