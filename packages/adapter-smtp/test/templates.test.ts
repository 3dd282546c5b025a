import type { MailIntent, MailKind } from "@panel-access/core";
import { SmtpPeer, startSmtpPeer } from "@panel-access/test-support/smtp-peer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSmtpMailer,
  MailConfigError,
  renderMail,
  type SmtpMailerOptions,
} from "../src/index.js";
import { parseOptions, renderOptionsSchema } from "../src/options.js";
import { linkOf, NOTICE_KINDS, oneOfEach } from "./intents.js";

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

/** Every kind's fixture, as `[kind, message]` rows for `it.each`. */
const everyKind = Object.entries(oneOfEach) as [MailKind, MailIntent][];

/** The URLs a rendered part holds (text, or the `href`s of the HTML). */
function urlsIn(part: string): string[] {
  return [...part.matchAll(/https?:\/\/[^\s"<>]+/g)].map((match) => match[0]);
}

/** The plain text's last paragraph before the footer: what a notice ends with. */
function lastParagraph(text: string): string {
  return text.split("\n\n--\n")[0]?.split("\n\n").at(-1) ?? "";
}

describe("MAIL-3 security notices over a real SMTP server", () => {
  it.each(NOTICE_KINDS)(
    "MAIL-3: the %s notice says when it happened (host time zone and locale), in both parts, and ends with what to do if it was not them",
    async (kind) => {
      const { parsed } = await roundTrip(oneOfEach[kind], { timeZone: "Europe/Berlin" });
      const text = parsed.text ?? "";
      const html = parsed.html || "";
      expect(text).toContain("On 5 January 2026 at 15:30 CET, ");
      expect(html).toContain("On 5 January 2026 at 15:30 CET, ");
      const ending = lastParagraph(text);
      expect(ending).toMatch(/^If (this was not you|you did not expect this access), /);
      expect(ending).toContain("contact support: support@acme.example.");
      expect(html).toContain("contact support: support@acme.example.");
      expect(html).toContain(`href="${oneOfEach[kind].loginLink}"`);
    },
  );

  it("MAIL-3: a notice's instants follow the host's time zone and locale", async () => {
    const newYork = await roundTrip(oneOfEach.accessGranted, {
      timeZone: "America/New_York",
      locale: "en-US",
    });
    expect(newYork.parsed.text).toContain("On January 5, 2026 at 9:30 AM EST, ");
    const german = await roundTrip(oneOfEach.browserRemembered, {
      timeZone: "Europe/Berlin",
      locale: "de-DE",
    });
    expect(german.parsed.text).toContain("On 5. Januar 2026 um 15:30 MEZ, ");
    expect(german.parsed.text).toContain("Until 12. Januar 2026 um 10:00 MEZ, ");
  });

  it("MAIL-3, ACC-2: access granted names who, which panel, which role and until when; it invites to nothing", async () => {
    const { parsed } = await roundTrip(oneOfEach.accessGranted);
    expect(parsed.subject).toBe("You now have access to Acme Analytics");
    expect(parsed.text).toContain(
      "On 5 January 2026 at 14:30 UTC, alice@example.test gave you access to the panel “Acme Analytics” on Acme Access, as analyst, with permanent access.",
    );
    expect(parsed.text).toContain("There is nothing you need to do");
    expect(parsed.text).not.toMatch(/invit|regist|token|choose your password/i);
    expect(parsed.html).not.toMatch(/invit|regist|token/i);
    expect(urlsIn(parsed.text ?? "")).toEqual([oneOfEach.accessGranted.loginLink]);

    // No administrator (the host or the support team created the panel): nobody is named.
    const bySupport = await roundTrip({
      ...oneOfEach.accessGranted,
      grantedBy: null,
      access: { type: "temporary", endsAt: oneOfEach.invitation.expiresAt },
    });
    expect(bySupport.parsed.text).toContain(
      "On 5 January 2026 at 14:30 UTC, you were given access to the panel “Acme Analytics” on Acme Access, as analyst, until 12 January 2026 at 09:00 UTC.",
    );
    expect(bySupport.parsed.text).not.toContain("null");
  });

  it("MAIL-3: password changed tells the person to reset it through “Forgot password” and contact support if it was not them", async () => {
    const { parsed } = await roundTrip(oneOfEach.passwordChanged);
    expect(parsed.subject).toBe("Your Acme Access password was changed");
    expect(parsed.text).toContain(
      "On 5 January 2026 at 14:30 UTC, the password of your Acme Access account was changed",
    );
    expect(lastParagraph(parsed.text ?? "")).toContain(
      "reset your password now (choose “Forgot password” on the sign-in page) and contact support: support@acme.example.",
    );
  });

  it.each(["twoFactorEnabled", "backupCodesRegenerated", "browserRemembered"] as const)(
    "MAIL-3: %s tells the person to change the password, forget remembered browsers and contact support if it was not them",
    async (kind) => {
      const { parsed } = await roundTrip(oneOfEach[kind]);
      const ending = lastParagraph(parsed.text ?? "");
      expect(ending).toContain(
        "change it now (choose “Forgot password” on the sign-in page), then forget your remembered browsers in your account settings, and contact support",
      );
      expect(ending).toContain("contact support: support@acme.example.");
    },
  );

  it("MAIL-3: each notice says what happened", async () => {
    const said = async (message: MailIntent) => {
      const { parsed } = await roundTrip(message);
      return { subject: parsed.subject, text: parsed.text ?? "" };
    };
    const enabled = await said(oneOfEach.twoFactorEnabled);
    expect(enabled.subject).toBe(
      "Two-factor authentication is set up for your Acme Access account",
    );
    expect(enabled.text).toContain(
      "two-factor authentication was set up for your Acme Access account",
    );
    expect(enabled.text).toContain("Support can reset your two-factor authentication");
    const codes = await said(oneOfEach.backupCodesRegenerated);
    expect(codes.subject).toBe("New backup codes for your Acme Access account");
    expect(codes.text).toContain("a new set of backup codes was created");
    expect(codes.text).toContain("Your old backup codes no longer work.");
    expect(codes.text).toContain("they are not in this e-mail");
    const browser = await said(oneOfEach.browserRemembered);
    expect(browser.subject).toBe("A browser was remembered for your Acme Access account");
    expect(browser.text).toContain(
      "On 5 January 2026 at 14:30 UTC, the browser “Firefox at the office” was remembered for your Acme Access account. Until 12 January 2026 at 09:00 UTC, signing in from it asks for your password but not for a two-factor code.",
    );
    const unnamed = await said({ ...oneOfEach.browserRemembered, label: null });
    expect(unnamed.text).toContain(
      "On 5 January 2026 at 14:30 UTC, a browser was remembered for your Acme Access account.",
    );
    expect(unnamed.text).not.toContain("the browser “");
  });

  it("TFA-8: a 2FA reset by the support team (no panel) says so, and one by a panel's administrator names the panel", async () => {
    // No administrator (the host or the support team created the panel): nobody is named.
    const bySupport = await roundTrip({ ...oneOfEach.twoFactorReset, panel: null });
    expect(bySupport.parsed.subject).toBe("Your Acme Access two-factor authentication was reset");
    expect(bySupport.parsed.text).toContain(
      "The support team reset the two-factor authentication of your Acme Access account.",
    );
    expect(bySupport.parsed.text).not.toMatch(/administrator|panel|null/);
    expect(lastParagraph(bySupport.parsed.text ?? "")).toBe(
      "If you did not ask the support team for this, tell them at once: support@acme.example.",
    );
    expect(bySupport.parsed.html).toContain("The support team reset the two-factor authentication");
    const byAdministrator = await roundTrip(oneOfEach.twoFactorReset);
    expect(byAdministrator.parsed.subject).toBe(
      "Your two-factor authentication for Acme Analytics was reset",
    );
    expect(byAdministrator.parsed.text).toContain(
      "An administrator of the panel “Acme Analytics” reset the two-factor authentication",
    );
  });

  it("MAIL-3: HTML escapes the panel name, the role, who granted access and the browser's label; the text part keeps them as written", async () => {
    const name = `<script>alert("x")</script> & 'Co'`;
    const escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;";
    const granted = await roundTrip({
      ...oneOfEach.accessGranted,
      panel: { id: "p", name },
      role: "<b>boss</b>",
      grantedBy: `"<i>eve</i>"@example.test`,
    });
    expect(granted.parsed.html).not.toMatch(/<script>|<b>boss|<i>eve/);
    expect(granted.parsed.html).toContain(escaped);
    expect(granted.parsed.html).toContain("&lt;b&gt;boss&lt;/b&gt;");
    expect(granted.parsed.html).toContain("&quot;&lt;i&gt;eve&lt;/i&gt;&quot;@example.test");
    expect(granted.parsed.text).toContain(`the panel “${name}”`);
    expect(granted.parsed.subject).toBe(`You now have access to ${name}`);

    const remembered = await roundTrip({ ...oneOfEach.browserRemembered, label: name });
    expect(remembered.parsed.html).not.toContain("<script>");
    expect(remembered.parsed.html).toContain(`the browser “${escaped}”`);
    expect(remembered.parsed.text).toContain(`the browser “${name}”`);

    const reset = await roundTrip({ ...oneOfEach.twoFactorReset, panel: { id: "p", name } });
    expect(reset.parsed.html).not.toContain("<script>");
    expect(reset.parsed.html).toContain(escaped);
  });

  it("MAIL-3: a host's template replaces the built-in one for a notice kind only", async () => {
    const templates = {
      browserRemembered: () => ({ subject: "Custom", text: "custom text", html: "<p>custom</p>" }),
    };
    const custom = await roundTrip(oneOfEach.browserRemembered, { templates });
    expect(custom.parsed.subject).toBe("Custom");
    const builtIn = await roundTrip(oneOfEach.twoFactorEnabled, { templates });
    expect(builtIn.parsed.subject).toBe(
      "Two-factor authentication is set up for your Acme Access account",
    );
  });
});

describe("every kind: one-line subjects and no secrets", () => {
  const hostile = "Evil\r\nBcc: victim@evil.example\n\u0085X";
  /** The kind's fixture with a line break in every one-line value a subject could take. */
  const withLineBreaks = (message: MailIntent): MailIntent =>
    "panel" in message && message.panel !== null
      ? ({ ...message, panel: { id: "p", name: hostile } } as MailIntent)
      : message;

  it.each(everyKind)(
    "MAIL-1, MAIL-3: the %s subject stays one line, even with line breaks in the panel and product names",
    async (_kind, message) => {
      const options = parseOptions(renderOptionsSchema, {
        from: "no-reply@acme.example",
        productName: "Acme\r\nBcc: victim@evil.example",
      });
      const { subject } = renderMail(withLineBreaks(message), options);
      expect(subject).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
      expect(subject).toContain(" Bcc: victim@evil.example");
      const { parsed, rcptTo, raw } = await roundTrip(withLineBreaks(message), {
        productName: "Acme\r\nBcc: victim@evil.example",
      });
      expect(rcptTo).toEqual([message.to]);
      const header = raw.slice(0, raw.indexOf("\r\n\r\n"));
      expect(header).toMatch(/^Subject: /m);
      expect(header).not.toMatch(/^Bcc:/im);
      expect(parsed.bcc).toBeUndefined();
      expect(parsed.subject).toBe(subject);
    },
  );

  it.each(everyKind)(
    "MAIL-1, MAIL-3: the %s message carries no secret but its own link: no other URL, and a notice no token at all",
    async (kind, message) => {
      const { parsed } = await roundTrip(message);
      const link = linkOf(message);
      const expected = link === null ? [] : [link];
      expect([...new Set(urlsIn(parsed.text ?? ""))]).toEqual(expected);
      expect([...new Set(urlsIn(parsed.html || ""))]).toEqual(expected);
      const secret = link === null ? null : new URL(link).searchParams.get("token");
      if (secret === null) {
        // No token to carry: a notice, a login link, or no link at all.
        expect(`${parsed.subject}${parsed.text}${parsed.html}`).not.toMatch(/token/i);
        if ((NOTICE_KINDS as readonly MailKind[]).includes(kind)) expect(link).not.toBeNull();
      } else {
        // The token appears only inside the link: once in the text, and in the
        // HTML's button href, bare-link href and bare-link text.
        expect(secret.length).toBeGreaterThan(20);
        expect(parsed.text?.split(secret).length).toBe(2);
        expect(parsed.html ? parsed.html.split(secret).length : 0).toBe(4);
        expect(parsed.subject).not.toContain(secret);
      }
    },
  );
});
