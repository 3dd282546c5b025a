import { describe, expect, it } from "vitest";
import { addRegisteredMember, PUBLIC_URL, signedInSite } from "./harness.js";

/**
 * Review: `run()` decides whether to check the origin from the HOST request's
 * method (csrf.ts SAFE_METHODS), not from the route's. A host that maps a
 * GET page/link (a "Sign out" anchor, a confirmation link) to a POST route
 * through `run()` gets no origin check at all, even with a hostile `Origin`,
 * and the SameSite=Lax session cookie rides along on a cross-site top-level
 * GET navigation. `handle()` would answer such a GET with 405.
 */
describe("review: run() and safe host methods", () => {
  it("SES-2: run('logout') for a cross-site GET (hostile Origin) must not end the session", async () => {
    const { s, admin } = await signedInSite();
    const crossSiteGet = new Request(`${PUBLIC_URL}/sign-out`, {
      method: "GET",
      headers: {
        cookie: admin.cookieHeader(),
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
      },
    });
    const result = await s.http.run("logout", crossSiteGet, {}, { socketAddress: "203.0.113.9" });
    expect(result.status).toBe(403);
    expect((await admin.send("GET", "/session")).status).toBe(200);
  });

  it("PNL-4: run('removeMember') for a cross-site GET navigation must not remove a member", async () => {
    const { s, admin } = await signedInSite();
    await addRegisteredMember(s, admin, "zoe@example.test", "editor");
    // <a href="https://app.example.test/p/{panel}/remove?email=zoe@..."> on evil.example:
    // a top-level navigation carries the Lax session cookie and Sec-Fetch-Site: cross-site.
    const navigation = new Request(`${PUBLIC_URL}/p/${s.panelId}/remove?email=zoe@example.test`, {
      method: "GET",
      headers: { cookie: admin.cookieHeader(), "sec-fetch-site": "cross-site" },
    });
    const result = await s.http.run(
      "removeMember",
      navigation,
      { body: { email: "zoe@example.test" }, params: { panelId: s.panelId } },
      { socketAddress: "203.0.113.9" },
    );
    expect(result.status).toBe(403);
    const members = await admin.send("GET", `/panels/${s.panelId}/members`);
    expect(members.body.members.map((m: { email: string }) => m.email)).toContain(
      "zoe@example.test",
    );
  });
});
