import { startSmtpPeer } from "@panel-access/test-support/smtp-peer";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { startServer } from "../src/server.js";
import {
  advance,
  browser,
  codeFor,
  enterCode,
  followMail,
  HAVE_CHROMIUM,
  offsetMs,
  server,
  setUpTwoFactor,
  shot,
  signIn,
  useBrowserAndServer,
} from "./browser-kit.js";
import { PRODUCTION } from "./production.js";

const PERSON = "bob@example.test";

useBrowserAndServer();

describe.runIf(HAVE_CHROMIUM)("the example web app in a real Chromium", () => {
  let admin: BrowserContext;
  let person: BrowserContext;
  let adminPage: Page;
  let personPage: Page;
  let adminSecret = "";
  let personSecret = "";
  let personPassword = "bob's first passphrase";

  it("TFA-1, TFA-2: the seeded administrator signs in and sets up 2FA from the page, as an app would", async () => {
    admin = await browser.newContext();
    adminPage = await admin.newPage();
    await signIn(adminPage, server.administrator.email, server.administrator.password);
    await shot(adminPage, "01-setup");
    adminSecret = await setUpTwoFactor(adminPage);
    expect(await adminPage.locator("#backup-codes li").count()).toBe(10);
    await shot(adminPage, "02-backup-codes");
    await adminPage.click("text=I saved them: continue");
    expect(await adminPage.textContent("h1")).toContain("User Management");
  }, 60_000);

  it("ACC-1, ACC-9, ACC-6: the administrator invites a person, who opens the link from the mail viewer and registers", async () => {
    await adminPage.fill('form[action$="/add"] input[name="email"]', PERSON);
    await adminPage.click('form[action$="/add"] button');
    expect(await adminPage.textContent(".notice")).toBe("Invitation sent.");
    expect(await adminPage.textContent(`tr[data-email="${PERSON}"] .status`)).toBe("unregistered");
    await shot(adminPage, "03-user-management");

    person = await browser.newContext();
    personPage = await person.newPage();
    await followMail(personPage, PERSON, /invited/);
    expect(personPage.url()).toContain("/register?token=");
    await shot(personPage, "04-register");
    // Opening the link consumed nothing (ACC-9): reload, the form is still there.
    await personPage.reload();
    await personPage.fill('input[name="password"]', personPassword);
    await personPage.click("text=Set my password");
    expect(personPage.url()).toContain("/login?m=registered");
  }, 60_000);

  it("TFA-1, TFA-3, TFA-7: setup, logout, login with a code and 'remember this browser', then no code in that browser", async () => {
    await signIn(personPage, PERSON, personPassword);
    personSecret = await setUpTwoFactor(personPage);
    await personPage.click("text=I saved them: continue");
    await personPage.click("text=Log out");
    expect(personPage.url()).toContain("/login?m=loggedOut");

    await advance(31_000); // a new TOTP step: each code is accepted once (TFA-10)
    await signIn(personPage, PERSON, personPassword);
    await shot(personPage, "05-code");
    await enterCode(personPage, codeFor(personSecret), true);
    expect(await personPage.textContent("h1")).toContain("Acme Analytics");
    await personPage.click("text=Log out");

    await signIn(personPage, PERSON, personPassword);
    expect(await personPage.textContent("h1")).toContain("Acme Analytics"); // the remembered browser skips the code
    await personPage.goto(`${server.url}/settings`);
    expect(await personPage.locator("ul.browsers li").count()).toBe(1);
    await shot(personPage, "06-settings");
  }, 60_000);

  it("TFA-7: a second browser is asked for the code", async () => {
    const other = await browser.newContext();
    const page = await other.newPage();
    await signIn(page, PERSON, personPassword);
    expect(page.url()).toContain("/login/code");
    await other.close();
  }, 60_000);

  it("LCK-1, LCK-2, LCK-3, LCK-4: six wrong passwords lock the account; the e-mailed link unlocks it", async () => {
    const other = await browser.newContext();
    const page = await other.newPage();
    for (let i = 0; i < 6; i++) {
      await signIn(page, PERSON, `wrong guess ${i}`);
      expect(await page.textContent(".notice")).toContain("That did not work");
    }
    await signIn(page, PERSON, personPassword); // right password, locked: the same answer
    expect(await page.textContent(".notice")).toContain("That did not work");
    await shot(page, "07-locked");
    await followMail(page, PERSON, /locked/);
    expect(page.url()).toContain("/reset-password?token=");
    personPassword = "bob's second passphrase";
    await page.fill('input[name="password"]', personPassword);
    await page.click('form[action="/reset-password"] button');
    expect(page.url()).toContain("/login?m=reset");
    await advance(31_000);
    await signIn(page, PERSON, personPassword);
    await enterCode(page, codeFor(personSecret));
    expect(await page.textContent("h1")).toContain("Acme Analytics");
    await other.close();
  }, 60_000);

  it("TFA-8: the administrator resets the person's 2FA; the next login asks for a new setup, even in the remembered browser", async () => {
    await adminPage.goto(adminPage.url().split("?")[0] ?? "");
    await adminPage.click(`tr[data-email="${PERSON}"] button[data-action="reset-2fa"]`);
    expect(await adminPage.textContent(".notice")).toContain("Two-factor authentication reset");
    await signIn(personPage, PERSON, personPassword);
    expect(personPage.url()).toContain("/login/setup");
    personSecret = await setUpTwoFactor(personPage);
    await personPage.click("text=I saved them: continue");
    expect(await personPage.textContent("h1")).toContain("Acme Analytics");
  }, 60_000);

  it("PNL-1, PNL-7, PNL-5: temporary access ends and the person can no longer enter the panel", async () => {
    const tomorrow = new Date(Date.now() + offsetMs + 86_400_000).toISOString().slice(0, 10);
    const row = adminPage.locator(`tr[data-email="${PERSON}"]`);
    await row.locator('input[name="until"]').fill(tomorrow);
    await row.locator('button[data-action="extend"]').click();
    expect(await adminPage.textContent(".notice")).toBe("Access changed.");
    await advance(2 * 86_400_000); // two days later
    await personPage.goto(`${server.url}/`);
    expect(personPage.url()).toContain("/login"); // the session no longer reaches anything
    await signIn(personPage, PERSON, personPassword);
    expect(await personPage.textContent(".notice")).toContain("That did not work");

    await advance(31_000);
    await signIn(adminPage, server.administrator.email, server.administrator.password);
    await enterCode(adminPage, codeFor(adminSecret));
    expect(await adminPage.textContent(`tr[data-email="${PERSON}"] .status`)).toBe("expired");
    await shot(adminPage, "08-expired");
  }, 60_000);

  it("web example: outside development mode the mail viewer answers 404 in the browser", async () => {
    const smtp = await startSmtpPeer();
    const production = await startServer({ port: 0, smtpUrl: smtp.url, ...PRODUCTION });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const response = await page.goto(`${production.url}/mail`);
      expect(response?.status()).toBe(404);
      expect(await page.locator("ul.mail").count()).toBe(0);
      await context.close();
    } finally {
      await production.close();
      await smtp.stop();
    }
  });

  it("web security: HttpOnly SameSite cookies, CSRF refused, CSP without inline scripts, no referrer", async () => {
    const cookies = await person.cookies();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe("Lax");
    }
    const response = await fetch(`${server.url}/forgot`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
      body: `email=${encodeURIComponent(PERSON)}&_csrf=forged`,
    });
    expect(response.status).toBe(403);
    const page = await fetch(`${server.url}/login`);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(page.headers.get("content-security-policy")).not.toContain("unsafe-inline");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(await page.text()).not.toMatch(/<script>(?!<\/script>)/);
  });
});
