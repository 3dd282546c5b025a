import { describe, expect, it } from "vitest";
import { oneOfEach } from "./intents.js";
import { mailerFor, peer, useSmtpPeer } from "./round-trip.js";

useSmtpPeer();

describe("MAIL-4 a message the outbox gives up on (envelope.signal)", () => {
  it("MAIL-4: a message still waiting for a connection when its signal aborts rejects at once with SEND_TIMEOUT and is never sent; the one under way finishes", async () => {
    const mailer = mailerFor({
      smtp: { host: "127.0.0.1", port: peer.port, requireTLS: false, maxConnections: 1 },
    });
    peer.silence(); // the one connection waits for a greeting
    const underWay = mailer.send(oneOfEach.invitation, { messageId: "first", attempt: 1 });
    await peer.holding();
    const waiting = new AbortController();
    const queued = mailer.send(oneOfEach.passwordReset, {
      messageId: "second",
      attempt: 1,
      signal: waiting.signal,
    });
    waiting.abort();
    await expect(queued).rejects.toMatchObject({ code: "SEND_TIMEOUT" });

    peer.speak();
    await underWay; // begun before: it goes out
    // The connection is free again: one more message, then nothing else came.
    await mailer.send(oneOfEach.accountBlocked, { messageId: "third", attempt: 1 });
    mailer.close();
    const ids = peer.received.map((r) => r.parsed.messageId);
    expect(ids).toContain("<first@acme.example>");
    expect(ids).toContain("<third@acme.example>");
    expect(ids).not.toContain("<second@acme.example>");
  });

  it("MAIL-4: a signal that aborts once the message is under way changes nothing: it is delivered and the send resolves", async () => {
    const mailer = mailerFor();
    peer.silence();
    const late = new AbortController();
    const sending = mailer.send(oneOfEach.invitation, {
      messageId: "begun",
      attempt: 1,
      signal: late.signal,
    });
    await peer.holding();
    late.abort();
    peer.speak();
    await expect(sending).resolves.toBeUndefined();
    mailer.close();
    expect(peer.received.map((r) => r.parsed.messageId)).toContain("<begun@acme.example>");
  });
});
