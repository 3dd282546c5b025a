import type { MailIntent } from "@panel-access/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSmtpMailer, MailConfigError, type SmtpMailerOptions } from "../src/index.js";
import { linkOf, oneOfEach } from "./intents.js";
import { SmtpPeer, startSmtpPeer } from "./smtp-peer.js";

let peer: SmtpPeer;
beforeAll(async () => {
  peer = await startSmtpPeer();
});
afterAll(() => peer.stop());

/** A mailer for the local test server (no TLS on loopback). */
function mailerFor(options: Partial<SmtpMailerOptions> = {}) {
  return createSmtpMailer({
    from: "Acme Access <no-reply@acme.example>",
    productName: "Acme Access",
    supportContact: "support@acme.example",
    smtp: { host: "127.0.0.1", port: peer.port, requireTLS: false },
    ...options,
  });
}

let counter = 0;
/** Sends one message and answers what the server received for it. */
async function roundTrip(message: MailIntent, options: Partial<SmtpMailerOptions> = {}) {
  const mailer = mailerFor(options);
  const messageId = `msg${++counter}`;
  try {
    await mailer.send(message, { messageId, attempt: 1 });
  } finally {
    mailer.close();
  }
  const received = peer.received.filter(
    (r) => r.parsed.messageId === `<${messageId}@acme.example>`,
  );
  const [only, ...others] = received;
  expect(others).toEqual([]);
  if (only === undefined) throw new Error(`the server received no message ${messageId}`);
  return only;
}

describe("MAIL-1 over a real SMTP server (smtp-server on 127.0.0.1)", () => {
  it.each(Object.values(oneOfEach))(
    "MAIL-1: the $kind message arrives with From, To, Subject, Message-ID, Date, a text and an HTML part",
    async (message) => {
      const { parsed, rcptTo, mailFrom } = await roundTrip(message);
      expect(mailFrom).toBe("no-reply@acme.example");
      expect(rcptTo).toEqual([message.to]);
      expect(parsed.from?.value).toEqual([
        { address: "no-reply@acme.example", name: "Acme Access" },
      ]);
      expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value[0]?.address).toBe(
        message.to,
      );
      expect(parsed.subject?.length).toBeGreaterThan(10);
      expect(parsed.messageId).toMatch(/^<msg\d+@acme\.example>$/);
      expect(parsed.date?.getTime()).toBeGreaterThan(0);
      expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
      expect(parsed.text?.length).toBeGreaterThan(80);
      expect(parsed.html).toContain("<html");
      const link = linkOf(message);
      if (link === null) {
        expect(parsed.text).not.toContain("https://");
        expect(parsed.text).toContain("support@acme.example");
      } else {
        expect(parsed.text).toContain(link);
        expect(parsed.html).toContain(`href="${link}"`);
      }
    },
  );

  it("MAIL-1: the invitation states its expiry in the host's time zone and locale", async () => {
    const berlin = await roundTrip(oneOfEach.invitation, { timeZone: "Europe/Berlin" });
    expect(berlin.parsed.text).toContain("expires on 12 January 2026 at 10:00 CET");
    const newYork = await roundTrip(oneOfEach.invitation, {
      timeZone: "America/New_York",
      locale: "en-US",
    });
    expect(newYork.parsed.text).toContain("expires on January 12, 2026 at 4:00 AM EST");
    const german = await roundTrip(oneOfEach.passwordReset, {
      timeZone: "Europe/Berlin",
      locale: "de-DE",
    });
    expect(german.parsed.text).toContain("12. Januar 2026 um 10:00 MEZ");
  });

  it("MAIL-1: HTML escapes every value it inserts (a panel named <script>); the text part keeps it as written", async () => {
    const name = `<script>alert("x")</script> & 'Co'`;
    const { parsed } = await roundTrip({
      ...oneOfEach.invitation,
      panel: { id: "p", name },
      role: "<b>boss</b>",
    });
    expect(parsed.html).not.toContain("<script>");
    expect(parsed.html).not.toContain("<b>boss");
    expect(parsed.html).toContain(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;",
    );
    expect(parsed.html).toContain("&lt;b&gt;boss&lt;/b&gt;");
    expect(parsed.text).toContain(name);
    expect(parsed.subject).toBe(`You are invited to ${name}`);
  });

  it("MAIL-1: a host's template replaces the built-in one for its kind only", async () => {
    const templates = {
      passwordReset: (m: Extract<MailIntent, { kind: "passwordReset" }>) => ({
        subject: "Custom reset",
        text: `Go to ${m.link}`,
        html: `<p>Go</p>`,
      }),
    };
    const custom = await roundTrip(oneOfEach.passwordReset, { templates });
    expect(custom.parsed.subject).toBe("Custom reset");
    expect(custom.parsed.text?.trim()).toBe(`Go to ${oneOfEach.passwordReset.link}`);
    const builtIn = await roundTrip(oneOfEach.invitation, { templates });
    expect(builtIn.parsed.subject).toBe("You are invited to Acme Analytics");
  });

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
});
