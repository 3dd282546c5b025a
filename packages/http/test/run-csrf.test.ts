import { describe, expect, it } from "vitest";
import { addRegisteredMember, PUBLIC_URL, signedInSite } from "./harness.js";

/**
 * `run()` checks CSRF by the route's method, not the host request's: a host
 * that maps a GET page or link (a "Sign out" anchor, a confirmation link) to
 * a state-changing route gets it refused, since a cross-site top-level GET
 * navigation carries the SameSite=Lax session cookie. The read-only POST
 * routes (inspecting a link, POST only to keep the token out of the URL)
 * are the exception: a GET page may show what they answer.
 */
describe("run() and safe host methods", () => {
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

  it("ACC-9: run('inspectInvitation') from a GET page (the link's page) is not refused as CSRF: it answers the link's state", async () => {
    const { s } = await signedInSite();
    const page = new Request(`${PUBLIC_URL}/register?token=x`, {
      method: "GET",
      headers: { "sec-fetch-site": "cross-site" }, // a link followed from a mail client
    });
    const result = await s.http.run("inspectInvitation", page, {
      body: { token: `${"A".repeat(22)}.${"A".repeat(43)}` },
    });
    expect(result.status).toBe(404);
    expect((result.body as { error: { code: string } }).error.code).toBe("INVITATION_UNKNOWN");
  });
});
