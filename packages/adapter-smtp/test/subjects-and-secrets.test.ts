import type { MailIntent, MailKind } from "@panel-access/core";
import { describe, expect, it } from "vitest";
import { renderMail } from "../src/index.js";
import { parseOptions, renderOptionsSchema } from "../src/options.js";
import { linkOf, NOTICE_KINDS, oneOfEach } from "./intents.js";
import { roundTrip, urlsIn, useSmtpPeer } from "./round-trip.js";

useSmtpPeer();

/** Every kind's fixture, as `[kind, message]` rows for `it.each`. */
const everyKind = Object.entries(oneOfEach) as [MailKind, MailIntent][];

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
