import { describe, expect, it } from "vitest";
import { ADMIN, PUBLIC_URL, signedInSite, site } from "./harness.js";

const CSRF_REJECTED = {
  error: { code: "CSRF_REJECTED", message: "The request did not come from a trusted page." },
};
const GRANT = { email: "zoe@example.test", role: "editor", access: { type: "permanent" } };

describe("CSRF", () => {
  it("SES-1: a state-changing request with a forged Origin is refused 403 CSRF_REJECTED and changes nothing", async () => {
    const { s, admin } = await signedInSite();
    const eventsBefore = s.events.events.length;
    const mailBefore = s.mailer.sent.length;
    const forged = { origin: "https://evil.example" };
    const add = await admin.send("POST", `/panels/${s.panelId}/members`, GRANT, forged);
    const logout = await admin.send("POST", "/logout", undefined, forged);
    const everywhere = await admin.send("POST", "/logout-everywhere", undefined, forged);
    const login = await s.browser().send("POST", "/login", ADMIN, forged);
    for (const answer of [add, logout, everywhere, login]) {
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual(CSRF_REJECTED);
      expect(answer.setCookies).toEqual([]);
    }
    expect(s.events.events.length).toBe(eventsBefore);
    expect(s.mailer.sent.length).toBe(mailBefore);
    const members = await admin.send("GET", `/panels/${s.panelId}/members`);
    expect(members.body.members.map((m: { email: string }) => m.email)).toEqual([ADMIN.email]);
    expect((await admin.send("GET", "/session")).status).toBe(200);
  });

  it("SES-1: an Origin differing only in scheme, port or subdomain, and Origin: null, are refused", async () => {
    const s = await site();
    for (const origin of [
      "http://app.example.test",
      "https://app.example.test:8443",
      "https://evil.app.example.test",
      "null",
    ]) {
      const answer = await s.browser().send("POST", "/login", ADMIN, { origin });
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual(CSRF_REJECTED);
    }
  });

  it("SES-1: without Origin, Sec-Fetch-Site cross-site or same-site is refused; same-origin and none pass", async () => {
    const s = await site();
    const verdicts: Record<string, number> = {};
    for (const site of ["cross-site", "same-site", "same-origin", "none"]) {
      const browser = s.browser();
      delete browser.headers.origin;
      const answer = await browser.send("POST", "/login", ADMIN, { "sec-fetch-site": site });
      verdicts[site] = answer.status;
      if (answer.status === 403) expect(answer.body).toEqual(CSRF_REJECTED);
    }
    expect(verdicts).toEqual({
      "cross-site": 403,
      "same-site": 403,
      "same-origin": 200,
      none: 200,
    });
  });

  it("SES-1: a request with neither Origin nor Sec-Fetch-Site (not a browser page) is allowed", async () => {
    const s = await site();
    const browser = s.browser();
    delete browser.headers.origin;
    const login = await browser.send("POST", "/login", ADMIN);
    expect(login.status).toBe(200);
    expect(login.body.next).toBe("secondFactorSetup");
    expect(s.http.originAllowed(new Request(`${PUBLIC_URL}/x`, { method: "POST" }))).toBe(true);
  });

  it("SES-1: reading routes (GET) answer whatever the Origin", async () => {
    const { admin } = await signedInSite();
    const session = await admin.send("GET", "/session", undefined, {
      origin: "https://evil.example",
      "sec-fetch-site": "cross-site",
    });
    expect(session.status).toBe(200);
  });

  it("SES-1: trustedOrigins admits a second origin; others stay refused", async () => {
    const s = await site({ trustedOrigins: ["https://admin.example.test"] });
    const second = await s
      .browser()
      .send("POST", "/login", ADMIN, { origin: "https://admin.example.test" });
    expect(second.status).toBe(200);
    const own = await s.browser().send("POST", "/login", ADMIN);
    expect(own.status).toBe(200);
    const other = await s
      .browser()
      .send("POST", "/login", ADMIN, { origin: "https://other.example.test" });
    expect(other.status).toBe(403);
    expect(other.body).toEqual(CSRF_REJECTED);
  });

  it("SES-1: the form token: a missing, wrong or cookie-less token is refused, the right one accepted", async () => {
    const s = await site();
    const fresh = s.http.formToken(new Headers());
    expect(fresh.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh.setCookie).toMatch(/^__Host-pa_csrf=/);
    const cookie = `__Host-pa_csrf=${fresh.token}`;
    const page = new Headers({ cookie });
    expect(s.http.formToken(page)).toEqual({ token: fresh.token });

    const post = (submitted: unknown, headers = page) =>
      s.http.formTokenMatches(
        new Request(`${PUBLIC_URL}/login`, { method: "POST", headers }),
        submitted,
      );
    expect(post(undefined)).toBe(false);
    expect(post("")).toBe(false);
    expect(post(s.http.formToken(new Headers()).token)).toBe(false);
    // One character changed (never to itself: a random token may end in "A").
    const last = fresh.token.at(-1) === "A" ? "B" : "A";
    expect(post(`${fresh.token.slice(0, -1)}${last}`)).toBe(false);
    expect(post([fresh.token])).toBe(false);
    expect(post(fresh.token, new Headers())).toBe(false);
    expect(post(fresh.token)).toBe(true);
  });

  it("SES-1: a form post host checks the token, then runs the route: only the right token signs in", async () => {
    const s = await site();
    const { token } = s.http.formToken(new Headers());
    const cookie = `__Host-pa_csrf=${token}`;
    /** A host's form handler: the form's `_csrf` field first, then `run`. */
    const formPost = async (form: Record<string, string>) => {
      const request = new Request(`${PUBLIC_URL}/login`, {
        method: "POST",
        headers: { cookie, origin: PUBLIC_URL },
      });
      if (!s.http.formTokenMatches(request, form._csrf)) return { status: 403 };
      return s.http.run("login", request, {
        body: { email: form.email, password: form.password },
      });
    };
    expect((await formPost({ ...ADMIN })).status).toBe(403);
    expect((await formPost({ ...ADMIN, _csrf: "x".repeat(43) })).status).toBe(403);
    const accepted = await formPost({ ...ADMIN, _csrf: token });
    expect(accepted.status).toBe(200);
    expect((accepted as { body: { next: string } }).body.next).toBe("secondFactorSetup");
  });
});
