import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  advance,
  browser,
  followMail,
  HAVE_CHROMIUM,
  offsetMs,
  server,
  setUpTwoFactor,
  shot,
  signIn,
  useBrowserAndServer,
} from "./browser-kit.js";

const CAROL = "carol@example.test";
const DAVE = "dave@example.test";
const CAROL_PASSWORD = "carol's own passphrase";

// Three events a page, so a few actions make several pages.
useBrowserAndServer({ activityPageSize: 3 });

/** The rows of the listing on the page, top to bottom. */
async function rowsOf(page: Page) {
  return await page.locator("table.activity tbody tr").evaluateAll((rows) =>
    rows.map((row) => ({
      type: row.getAttribute("data-type") ?? "",
      id: row.getAttribute("data-id") ?? "",
      text: (row.textContent ?? "").replace(/\s+/g, " ").trim(),
    })),
  );
}

/** Every page of the listing from the one open, following "Older"; the pages' rows, in order. */
async function allPages(page: Page, shotName: string) {
  const pages = [await rowsOf(page)];
  while ((await page.locator('a[rel="next"]').count()) > 0) {
    await page.click('a[rel="next"]');
    expect(page.url()).toContain("cursor=");
    pages.push(await rowsOf(page));
    if (pages.length === 2) await shot(page, shotName);
  }
  return pages;
}

describe.runIf(HAVE_CHROMIUM)("AUD-2: the audit trail in the example web app", () => {
  let adminPage: Page;
  let carolPage: Page;
  /** `/p/<panel id>`: the seeded panel's User Management. */
  let panelPath = "";

  it("AUD-2: the administrator's Activity page (linked from User Management) lists the members they added and the access they changed, newest first, by e-mail", async () => {
    adminPage = await (await browser.newContext()).newPage();
    await signIn(adminPage, server.administrator.email, server.administrator.password);
    await setUpTwoFactor(adminPage);
    await adminPage.click("text=I saved them: continue");
    panelPath = new URL(adminPage.url()).pathname;
    expect(panelPath).toMatch(/^\/p\/[A-Za-z0-9_-]+$/);

    for (const email of [CAROL, DAVE]) {
      await advance(1_000); // each action at its own instant: the order is the order of the actions
      await adminPage.fill('form[action$="/add"] input[name="email"]', email);
      await adminPage.click('form[action$="/add"] button');
      expect(await adminPage.textContent(".notice")).toBe("Invitation sent.");
    }
    await advance(1_000);
    const inAWeek = new Date(Date.now() + offsetMs + 7 * 86_400_000).toISOString().slice(0, 10);
    const carolRow = adminPage.locator(`tr[data-email="${CAROL}"]`);
    await carolRow.locator('input[name="until"]').fill(inAWeek);
    await carolRow.locator('button[data-action="extend"]').click();
    expect(await adminPage.textContent(".notice")).toBe("Access changed.");

    await adminPage.click('a[href$="/activity"]');
    expect(new URL(adminPage.url()).pathname).toBe(`${panelPath}/activity`);
    expect(await adminPage.textContent("h1")).toBe("Acme Analytics: Activity");
    const first = await rowsOf(adminPage);
    expect(first).toHaveLength(3);
    // Newest first: the change, then Dave's invitation and grant (one unit of work, one instant).
    expect(first[0]?.type).toBe("membership.changed");
    expect(first[0]?.text).toContain("Access changed");
    expect(first[0]?.text).toContain(server.administrator.email); // who
    expect(first[0]?.text).toContain(CAROL); // about whom
    expect(first[0]?.text).toMatch(/analyst, permanent → analyst, until /);
    expect(
      first
        .slice(1)
        .map((row) => row.type)
        .sort(),
    ).toEqual(["invitation.sent", "membership.granted"]);
    for (const row of first.slice(1)) expect(row.text).toContain(DAVE);
    const granted = first.find((row) => row.type === "membership.granted");
    expect(granted?.text).toContain("Member added");
    expect(granted?.text).toContain("analyst, permanent");
    await shot(adminPage, "aud-01-panel-activity");
  }, 60_000);

  it("AUD-2: the Activity page pages with 'Older' (every event once, the panel's creation last) and filters by kind", async () => {
    const pages = await allPages(adminPage, "aud-02-panel-activity-older");
    // The seed (panel created, the administrator granted and invited), Carol's and Dave's two each, the change.
    expect(pages.map((rows) => rows.length)).toEqual([3, 3, 2]);
    const rows = pages.flat();
    expect(new Set(rows.map((row) => row.id)).size).toBe(8);
    expect(rows.at(-1)?.type).toBe("panel.created");
    expect(rows.at(-1)?.text).toContain("the system");
    expect(
      rows
        .filter((row) => row.text.includes(CAROL))
        .map((row) => row.type)
        .sort(),
    ).toEqual(["invitation.sent", "membership.changed", "membership.granted"]);
    expect(await adminPage.locator('a[rel="next"]').count()).toBe(0); // the last page
    await adminPage.click("text=Newest");
    expect((await rowsOf(adminPage)).map((row) => row.id)).toEqual(pages[0]?.map((row) => row.id));

    await adminPage.selectOption('select[name="type"]', "membership.granted");
    await adminPage.click("form.filter button");
    expect(adminPage.url()).toContain("type=membership.granted");
    const grants = await rowsOf(adminPage);
    expect(grants.map((row) => row.type)).toEqual(Array(3).fill("membership.granted"));
    expect(grants.map((row) => row.text.includes(DAVE))).toEqual([true, false, false]);
    expect(grants[1]?.text).toContain(CAROL);
    expect(grants[2]?.text).toContain(server.administrator.email);
    expect(await adminPage.inputValue('select[name="type"]')).toBe("membership.granted");
    await shot(adminPage, "aud-03-panel-activity-filtered");

    await adminPage.selectOption('select[name="type"]', "membership.removed");
    await adminPage.click("form.filter button");
    expect(await rowsOf(adminPage)).toEqual([]);
    expect(await adminPage.textContent("main")).toContain("Nothing to show.");

    // A forged page link is refused, not shown as an empty page.
    const forged = await adminPage.goto(`${server.url}${panelPath}/activity?cursor=forged`);
    expect(forged?.status()).toBe(400);
    expect(await adminPage.textContent(".notice")).toBe("That page link is not valid.");
  }, 60_000);

  it("AUD-2: a person's Security activity page (linked from Settings) lists their registration, failed sign-in, 2FA setup and sign-in, paged, and nothing of the panel's administration", async () => {
    carolPage = await (await browser.newContext()).newPage();
    await followMail(carolPage, CAROL, /invited/);
    await carolPage.fill('input[name="password"]', CAROL_PASSWORD);
    await carolPage.click("text=Set my password");
    expect(carolPage.url()).toContain("/login?m=registered");
    await advance(1_000);
    await signIn(carolPage, CAROL, "not carol's passphrase");
    expect(await carolPage.textContent(".notice")).toContain("That did not work");
    await advance(1_000);
    await signIn(carolPage, CAROL, CAROL_PASSWORD);
    await setUpTwoFactor(carolPage);
    await carolPage.click("text=I saved them: continue");
    expect(await carolPage.textContent("h1")).toContain("Acme Analytics");

    await carolPage.goto(`${server.url}/settings`);
    await carolPage.click('a[href="/settings/activity"]');
    expect(await carolPage.textContent("h1")).toBe("Security activity");
    await shot(carolPage, "aud-04-security-activity");
    const pages = await allPages(carolPage, "aud-05-security-activity-older");
    expect(pages.length).toBeGreaterThan(1);
    for (const rows of pages) expect(rows.length).toBeLessThanOrEqual(3);
    const rows = pages.flat();
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    const types = rows.map((row) => row.type);
    // Newest first: the sign-in with 2FA set up, the failed attempt, the registration.
    expect(types.at(-1)).toBe("account.registered");
    expect(types.at(-2)).toBe("login.failed");
    expect(rows.at(-2)?.text).toContain("wrong password");
    expect(rows.at(-2)?.text).toContain("someone not signed in");
    expect(types.slice(0, -2).sort()).toEqual([
      "backupCodes.issued",
      "login.completed",
      "login.passwordAccepted",
      "twoFactor.enrolled",
    ]);
    // Her grant and invitation are the panel's administration, not her security activity.
    expect(types).not.toContain("membership.granted");
    expect(types).not.toContain("membership.changed");
    expect(types).not.toContain("invitation.sent");

    await carolPage.goto(`${server.url}/settings/activity?type=login.failed`);
    const failed = await rowsOf(carolPage);
    expect(failed.map((row) => row.type)).toEqual(["login.failed"]);
  }, 60_000);

  it("AUD-2: a member who is not an administrator is refused the panel's Activity page, as User Management's actions refuse them; signed out, it asks to sign in", async () => {
    await carolPage.goto(`${server.url}${panelPath}`);
    expect(await carolPage.textContent("main")).toContain("You are a member of this panel.");
    expect(await carolPage.locator(`a[href="${panelPath}/activity"]`).count()).toBe(0);

    await carolPage.goto(`${server.url}${panelPath}/activity`);
    expect(new URL(carolPage.url()).pathname).toBe(panelPath);
    expect(carolPage.url()).toContain("refused=FORBIDDEN");
    expect(await carolPage.textContent(".notice")).toBe(
      "Only administrators of this panel can do that.",
    );
    expect(await carolPage.locator("table.activity").count()).toBe(0);
    await shot(carolPage, "aud-06-activity-refused");

    const signedOut = await (await browser.newContext()).newPage();
    await signedOut.goto(`${server.url}${panelPath}/activity`);
    expect(new URL(signedOut.url()).pathname).toBe("/login");
    await signedOut.goto(`${server.url}/settings/activity`);
    expect(new URL(signedOut.url()).pathname).toBe("/login");
    await signedOut.context().close();
  }, 60_000);
});
