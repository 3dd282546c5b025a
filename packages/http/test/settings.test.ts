import { describe, expect, it } from "vitest";
import { ADMIN, signedInSite, signInAgain } from "./harness.js";

describe("two-factor settings", () => {
  it("TFA-5: GET /settings/backup-codes counts the unused codes; a used one no longer counts", async () => {
    const { s, admin, backupCodes } = await signedInSite();
    const count = await admin.send("GET", "/settings/backup-codes");
    expect(count.status).toBe(200);
    expect(count.body).toEqual({ unused: 10 });
    const other = s.browser();
    await other.send("POST", "/login", ADMIN);
    await other.send("POST", "/login/second-factor", { code: backupCodes[3] });
    expect((await admin.send("GET", "/settings/backup-codes")).body).toEqual({ unused: 9 });
    const signedOut = await s.browser().send("GET", "/settings/backup-codes");
    expect(signedOut.status).toBe(401);
    expect(signedOut.body.error.code).toBe("SESSION_INVALID");
  });

  it("TFA-6: POST /settings/backup-codes with the password answers a new set; the old set stops working", async () => {
    const { s, admin, backupCodes } = await signedInSite();
    const fresh = await admin.send("POST", "/settings/backup-codes", { password: ADMIN.password });
    expect(fresh.status).toBe(200);
    expect(fresh.body.backupCodes).toHaveLength(10);
    expect(fresh.body.backupCodes).not.toContain(backupCodes[0]);
    const old = s.browser();
    await old.send("POST", "/login", ADMIN);
    const refused = await old.send("POST", "/login/second-factor", { code: backupCodes[0] });
    expect(refused.body.error.code).toBe("LOGIN_FAILED");
    const renewed = s.browser();
    await renewed.send("POST", "/login", ADMIN);
    const accepted = await renewed.send("POST", "/login/second-factor", {
      code: fresh.body.backupCodes[0],
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.backupCodesLeft).toBe(9);
  });

  it("TFA-6, LCK-1: POST /settings/backup-codes with a wrong password is LOGIN_FAILED and keeps the old set", async () => {
    const { admin } = await signedInSite();
    const wrong = await admin.send("POST", "/settings/backup-codes", { password: "not it at all" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("LOGIN_FAILED");
    // Not SESSION_INVALID: the session cookie stays.
    expect(wrong.setCookies).toEqual([]);
    expect(admin.cookies.has("__Host-pa_session")).toBe(true);
    expect((await admin.send("GET", "/settings/backup-codes")).body).toEqual({ unused: 10 });
  });

  it("TFA-13: GET /settings/browsers lists remembered browsers with their label; forgetting one leaves the other", async () => {
    const { s, admin, app } = await signedInSite();
    const firefox = s.browser();
    firefox.headers["user-agent"] =
      "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    await signInAgain(s, firefox, app, ADMIN, true);
    const safari = s.browser();
    safari.headers["user-agent"] =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    await signInAgain(s, safari, app, ADMIN, true);

    const list = await admin.send("GET", "/settings/browsers");
    expect(list.status).toBe(200);
    expect(list.body.browsers.map((b: { label: string }) => b.label)).toEqual([
      "Safari on macOS",
      "Firefox on Linux",
    ]);
    expect(JSON.stringify(list.body)).not.toContain(firefox.cookies.get("__Host-pa_browser"));

    const firefoxId = list.body.browsers[1].id as string;
    const forget = await admin.send("POST", "/settings/browsers/forget", { browserId: firefoxId });
    expect(forget.status).toBe(204);
    const unknown = await admin.send("POST", "/settings/browsers/forget", {
      browserId: "AAAAAAAAAAAAAAAAAAAAAA",
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("REMEMBERED_BROWSER_NOT_FOUND");
    const after = await admin.send("GET", "/settings/browsers");
    expect(after.body.browsers.map((b: { label: string }) => b.label)).toEqual(["Safari on macOS"]);

    await firefox.send("POST", "/logout");
    expect((await firefox.send("POST", "/login", ADMIN)).body.next).toBe("secondFactor");
    await safari.send("POST", "/logout");
    expect((await safari.send("POST", "/login", ADMIN)).body.next).toBe("done");
  });

  it("TFA-13: POST /settings/browsers/forget without an id forgets every browser and clears this browser's cookie", async () => {
    const { s, app } = await signedInSite();
    const remembered = s.browser();
    await signInAgain(s, remembered, app, ADMIN, true);
    expect(remembered.cookies.has("__Host-pa_browser")).toBe(true);
    const token = remembered.cookies.get("__Host-pa_browser") as string;
    const forget = await remembered.send("POST", "/settings/browsers/forget", {});
    expect(forget.status).toBe(204);
    expect(forget.setCookies.some((c) => /^__Host-pa_browser=;.*Max-Age=0/i.test(c))).toBe(true);
    expect(remembered.cookies.has("__Host-pa_browser")).toBe(false);
    expect((await remembered.send("GET", "/settings/browsers")).body).toEqual({ browsers: [] });
    // Even the old cookie, were it kept, no longer skips the second factor.
    const kept = s.browser();
    kept.cookies.set("__Host-pa_browser", token);
    expect((await kept.send("POST", "/login", ADMIN)).body.next).toBe("secondFactor");
  });

  it("TFA-9: an SSO session reaches only SSO panels and every settings route answers 403 SECOND_FACTOR_SESSION_REQUIRED", async () => {
    const { s } = await signedInSite();
    const sso = await s.panelAccess.createPanel({
      actor: { type: "system" },
      name: "Initech",
      administratorEmail: ADMIN.email,
      settings: { ssoEnabled: true },
    });
    if (sso.isErr()) throw new Error(sso.error.type);
    const opened = await s.panelAccess.openSsoSession({
      email: ADMIN.email,
      panelId: sso.value.panel.id,
    });
    if (opened.isErr()) throw new Error(opened.error.type);
    const browser = s.browser();
    browser.cookies.set("__Host-pa_session", opened.value.sessionToken);
    const session = await browser.send("GET", "/session");
    expect(session.body.method).toBe("sso");
    expect(session.body.panels.map((p: { id: string }) => p.id)).toEqual([sso.value.panel.id]);
    const refused = [
      await browser.send("GET", "/settings/backup-codes"),
      await browser.send("POST", "/settings/backup-codes", { password: ADMIN.password }),
      await browser.send("GET", "/settings/browsers"),
      await browser.send("POST", "/settings/browsers/forget", {}),
    ];
    for (const answer of refused) {
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe("SECOND_FACTOR_SESSION_REQUIRED");
    }
    expect(browser.cookies.has("__Host-pa_session")).toBe(true);
  });
});
