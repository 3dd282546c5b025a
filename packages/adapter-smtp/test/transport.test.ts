import { SmtpPeer } from "@panel-access/test-support/smtp-peer";
import { describe, expect, it } from "vitest";
import { composeMessage, createSmtpMailer, MailConfigError, senderDomain } from "../src/index.js";
import { renderOptionsSchema } from "../src/options.js";
import { oneOfEach } from "./intents.js";
import { mailerFor, peer, useSmtpPeer } from "./round-trip.js";

useSmtpPeer();

describe("MAIL-1 over a real SMTP server (smtp-server on 127.0.0.1)", () => {
  it("MAIL-2: every attempt at one outbox message carries the same Message-ID", async () => {
    const mailer = mailerFor();
    await mailer.send(oneOfEach.accountBlocked, { messageId: "same", attempt: 1 });
    await mailer.send(oneOfEach.accountBlocked, { messageId: "same", attempt: 2 });
    mailer.close();
    const ids = peer.received
      .filter((r) => r.parsed.messageId === "<same@acme.example>")
      .map((r) => r.parsed.messageId);
    expect(ids).toHaveLength(2);
  });

  it("MAIL-2: requireTLS (the default) refuses a server that offers no STARTTLS: no link goes out in clear", async () => {
    const before = peer.received.length;
    const mailer = mailerFor({ smtp: { host: "127.0.0.1", port: peer.port } });
    await expect(
      mailer.send(oneOfEach.invitation, { messageId: "clear", attempt: 1 }),
    ).rejects.toThrow();
    mailer.close();
    expect(peer.received.length).toBe(before);
  });

  it("MAIL-2: with STARTTLS offered, requireTLS upgrades the connection, then authenticates and delivers", async () => {
    const credentials = { user: "mailer", pass: "smtp secret" };
    const tlsPeer = new SmtpPeer();
    await tlsPeer.start({ secureUpgrade: true, credentials });
    const mailer = (pass: string) =>
      createSmtpMailer({
        from: "no-reply@acme.example",
        // smtp-server's built-in certificate is self-signed: trust it for this test only.
        smtp: {
          host: "127.0.0.1",
          port: tlsPeer.port,
          auth: { user: credentials.user, pass },
          tls: { rejectUnauthorized: false },
        },
      });
    const wrong = mailer("wrong secret");
    await expect(
      wrong.send(oneOfEach.invitation, { messageId: "bad", attempt: 1 }),
    ).rejects.toThrow();
    wrong.close();
    const right = mailer(credentials.pass);
    await right.send(oneOfEach.invitation, { messageId: "tls", attempt: 1 });
    right.close();
    await tlsPeer.stop();
    expect(tlsPeer.received.map((r) => ({ user: r.user, secure: r.secure }))).toEqual([
      { user: "mailer", secure: true },
    ]);
  });

  it("INP-1: invalid adapter options are refused at start-up with every problem named", () => {
    expect(() =>
      createSmtpMailer({
        from: "x",
        timeZone: "Mars/Olympus",
        locale: "not a locale!",
        smtp: { host: "127.0.0.1" },
      }),
    ).toThrow(MailConfigError);
    expect(() => createSmtpMailer({ from: "no-reply@acme.example" })).toThrow(
      "give exactly one of smtp or transport",
    );
  });

  it("INP-1: the sender must be one e-mail address, bare or with a name; anything else is refused at start-up", () => {
    const transport = { sendMail: async () => ({}) } as never;
    for (const from of [
      "nobody",
      "Acme <nobody>",
      "a@acme.example, b@acme.example",
      "a@acme.example,",
      "Team: a@acme.example;",
      "@acme.example",
      "Acme <no-reply@acme.example> (trail@evil.example)",
      "Acme <no-reply@acme.example>>",
      "Acme <no-reply@acme.example",
      "<no-reply@acme.example>\u0000",
      "Acme\r\nBcc: x@evil.example <no-reply@acme.example>",
      "a@evil.example <no-reply@acme.example>",
    ]) {
      expect(() => createSmtpMailer({ from, transport }), from).toThrow(
        /one e-mail address, such as "accounts@example.com".*→ at from/s,
      );
    }
    for (const from of [
      "accounts@acme.example",
      "<accounts@acme.example>",
      "Acme Access <accounts@acme.example>",
      '"Acme, Inc." <accounts@acme.example>',
      "dev@localhost",
    ]) {
      expect(() => createSmtpMailer({ from, transport }), from).not.toThrow();
    }
  });

  it("MAIL-2: the Message-ID's domain and the From header come from the parsed sender, not from text around it", () => {
    const options = { from: '"Acme, Inc." <no-reply@acme.example>' };
    const resolved = renderOptionsSchema.parse(options);
    const message = composeMessage(oneOfEach.invitation, { messageId: "m1", attempt: 1 }, resolved);
    expect(message.messageId).toBe("<m1@acme.example>");
    expect(message.from).toBe('"Acme, Inc." <no-reply@acme.example>');
    expect(senderDomain("Acme <no-reply@acme.example> (trail@evil.example)")).toBe("localhost");
  });
});
