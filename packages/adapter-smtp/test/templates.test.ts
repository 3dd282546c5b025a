import type { MailIntent } from "@panel-access/core";
import { describe, expect, it } from "vitest";
import { linkOf, oneOfEach } from "./intents.js";
import { roundTrip, useSmtpPeer } from "./round-trip.js";

useSmtpPeer();

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
});
