import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TOTP } from "otpauth";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { type RunningServer, type ServerOptions, startServer } from "../src/server.js";

/** Debian's Chromium (`.ci/run` installs it); no browser download. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/**
 * Without Chromium (a developer machine that never ran `.ci/run`) the browser
 * tests are skipped and say so; in CI (`CI=true`) Chromium must be there, and
 * `.ci/run` fails on any skipped test.
 */
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  if (process.env.CI === "true")
    throw new Error(`CI needs Chromium at ${CHROMIUM} (apt-get install chromium)`);
  console.warn(
    `No Chromium at ${CHROMIUM}: the browser tests of examples/web are skipped (apt-get install chromium).`,
  );
}
const SHOTS = process.env.SCREENSHOTS_DIR ?? join(tmpdir(), "panel-access-web-screenshots");

/** The development-mode server the calling file's tests drive. */
export let server: RunningServer;
export let browser: Browser;
/** How far the test clock has moved the app's clock (an authenticator app reads the same time). */
export let offsetMs = 0;

/** Starts a development-mode server and Chromium before the calling file's tests, and stops them after. */
export function useBrowserAndServer(options: ServerOptions = {}): void {
  beforeAll(async () => {
    if (!HAVE_CHROMIUM) return;
    await mkdir(SHOTS, { recursive: true });
    server = await startServer({ port: 0, development: true, ...options });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
}

/** Moves the app's clock (development mode only), e.g. to a new 30-second TOTP step. */
export async function advance(ms: number) {
  const response = await fetch(`${server.url}/__test/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advanceMs: ms }),
  });
  expect(response.ok).toBe(true);
  offsetMs += ms;
}

/** What an authenticator app shows for the secret read off the setup page, at the app's time. */
export function codeFor(secret: string): string {
  return new TOTP({ secret, algorithm: "SHA1", digits: 6, period: 30 }).generate({
    timestamp: Date.now() + offsetMs,
  });
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${server.url}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('form[action="/login"] button');
}

/** The password step led to the setup page: read the key as a person types it into an app, confirm a code. */
export async function setUpTwoFactor(page: Page, remember = false): Promise<string> {
  expect(page.url()).toContain("/login/setup");
  const secret = ((await page.textContent("#totp-secret")) ?? "").trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.fill('input[name="code"]', codeFor(secret));
  if (remember) await page.check('input[name="remember"]');
  await page.click("text=Confirm");
  expect(await page.textContent("h1")).toBe("Save your backup codes");
  return secret;
}

export async function enterCode(page: Page, code: string, remember = false) {
  expect(page.url()).toContain("/login/code");
  await page.fill('input[name="code"]', code);
  if (remember) await page.check('input[name="remember"]');
  await page.click('form[action="/login/code"] button');
}

/** Opens the newest message to `to` in the mail viewer and follows its first link. */
export async function followMail(page: Page, to: string, subject: RegExp) {
  await page.goto(`${server.url}/mail`);
  const item = page.locator("ul.mail li", { hasText: to }).filter({ hasText: subject }).first();
  await item.locator("a").first().click();
  await page.locator("a.mail-link").first().click();
}
