import { describe, expect, it } from "vitest";
import { ADMIN, signedInSite, signIn, signInAgain, site } from "./harness.js";

/** A `Set-Cookie` line's name and attributes (lower-cased names). */
function parse(line: string) {
  const [pair = "", ...rest] = line.split(";").map((part) => part.trim());
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const at = part.indexOf("=");
    attributes.set(
      (at < 0 ? part : part.slice(0, at)).toLowerCase(),
      at < 0 ? "" : part.slice(at + 1),
    );
  }
  return { name: pair.slice(0, pair.indexOf("=")), attributes };
}

/** Every cookie a full sign-in with a remembered browser sets, plus the form token's. */
async function everyCookieSet(publicUrl: string) {
  const { s, app } = await signedInSite({ publicUrl });
  const browser = s.browser();
  const { login, second } = await signInAgain(s, browser, app, ADMIN, true);
  const form = s.http.formToken(new Headers());
  return [...login.setCookies, ...second.setCookies, form.setCookie as string].map(parse);
}

const FORGED = `${"Q".repeat(22)}.${"Q".repeat(43)}`;

describe("cookies", () => {
  it("SES-1: over https every cookie is __Host- prefixed, Secure, HttpOnly, SameSite=Lax, Path=/, without Domain", async () => {
    const cookies = await everyCookieSet("https://app.example.test");
    expect(cookies.map((c) => c.name).sort()).toEqual([
      "__Host-pa_browser",
      "__Host-pa_challenge",
      "__Host-pa_challenge",
      "__Host-pa_csrf",
      "__Host-pa_session",
    ]);
    for (const { attributes } of cookies) {
      expect(attributes.has("secure")).toBe(true);
      expect(attributes.has("httponly")).toBe(true);
      expect(attributes.get("samesite")?.toLowerCase()).toBe("lax");
      expect(attributes.get("path")).toBe("/");
      expect(attributes.has("domain")).toBe(false);
    }
  });

  it("SES-1, TFA-7, TFA-12: cookie lifetimes follow the library: session 12 h, challenge 10 min, browser 7 days, CSRF the browser session", async () => {
    const cookies = await everyCookieSet("https://app.example.test");
    const maxAge = (name: string) =>
      cookies.filter((c) => c.name === name).map((c) => c.attributes.get("max-age"));
    expect(maxAge("__Host-pa_session")).toEqual([String(12 * 3600)]);
    expect(maxAge("__Host-pa_browser")).toEqual([String(7 * 24 * 3600)]);
    expect(maxAge("__Host-pa_challenge")).toEqual([String(600), "0"]);
    expect(maxAge("__Host-pa_csrf")).toEqual([undefined]);
  });

  it("SES-1: over plain http the cookies have no __Host- prefix and no Secure, still HttpOnly and SameSite=Lax", async () => {
    const cookies = await everyCookieSet("http://localhost:3000");
    expect(cookies.map((c) => c.name).sort()).toEqual([
      "pa_browser",
      "pa_challenge",
      "pa_challenge",
      "pa_csrf",
      "pa_session",
    ]);
    for (const { attributes } of cookies) {
      expect(attributes.has("secure")).toBe(false);
      expect(attributes.has("httponly")).toBe(true);
      expect(attributes.get("samesite")?.toLowerCase()).toBe("lax");
      expect(attributes.get("path")).toBe("/");
    }
  });

  it("SES-1: cookieNames renames the cookies (the __Host- prefix still added over https)", async () => {
    const s = await site({ cookieNames: { session: "acme_sid" } });
    const browser = s.browser();
    await signIn(s, browser);
    expect([...browser.cookies.keys()]).toEqual(["__Host-acme_sid"]);
    expect((await browser.send("GET", "/session")).status).toBe(200);
  });

  it("SES-1: a forged, stale, malformed or unprefixed session cookie counts as absent: 401 on session routes, login still works", async () => {
    const { s, admin, app } = await signedInSite();
    const valid = admin.cookies.get("__Host-pa_session") as string;
    const stale = s.browser();
    await signInAgain(s, stale, app);
    const staleToken = stale.cookies.get("__Host-pa_session") as string;
    expect(staleToken).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect((await stale.send("POST", "/logout")).status).toBe(204);
    const cookies = [
      `__Host-pa_session=${FORGED}`,
      `__Host-pa_session=${staleToken}`,
      "__Host-pa_session=not a token; x=1",
      `__Host-pa_session=${"%00".repeat(30)}`,
      `__Host-pa_session=${valid}!`,
      `pa_session=${valid}`,
    ];
    for (const cookie of cookies) {
      const browser = s.browser();
      for (const path of ["/session", "/account", "/settings/browsers", "/activity"]) {
        const answer = await browser.send("GET", path, undefined, { cookie });
        expect(answer.status).toBe(401);
        expect(answer.body.error.code).toBe("SESSION_INVALID");
      }
      const headers = new Headers({ cookie });
      expect(await s.http.getSession(headers)).toBeUndefined();
      const login = await browser.send("POST", "/login", ADMIN, { cookie });
      expect(login.status).toBe(200);
      expect(login.body.next).toBe("secondFactor");
    }
    expect(await s.http.getSession(new Headers({ cookie: `__Host-pa_session=${valid}` }))).toEqual(
      expect.objectContaining({ email: ADMIN.email }),
    );
  });

  it("TFA-7, TFA-12: a forged challenge cookie fails the second step with LOGIN_FAILED; a forged browser cookie does not skip it", async () => {
    const { s, app } = await signedInSite();
    const forgedChallenge = s.browser();
    forgedChallenge.cookies.set("__Host-pa_challenge", FORGED);
    s.clock.advance({ seconds: 30 });
    const second = await forgedChallenge.send("POST", "/login/second-factor", {
      code: app.code(),
    });
    expect(second.status).toBe(401);
    expect(second.body.error.code).toBe("LOGIN_FAILED");
    const forgedBrowser = s.browser();
    forgedBrowser.cookies.set("__Host-pa_browser", FORGED);
    const login = await forgedBrowser.send("POST", "/login", ADMIN);
    expect(login.body.next).toBe("secondFactor");
  });
});
