import type { MailIntent } from "@panel-access/core";
import { describe, expect, it } from "vitest";
import { NOTICE_KINDS, oneOfEach } from "./intents.js";
import { roundTrip, urlsIn, useSmtpPeer } from "./round-trip.js";

useSmtpPeer();

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
