import { describe, expect, it } from "vitest";
import {
  ADMIN,
  type Browser,
  linkToken,
  type Site,
  signedInSite,
  signIn,
  site,
} from "./harness.js";

const NEW_PERSON = "new.person@example.test";
const NEW_PASSWORD = "lantern meadow copper 5512";

/** The administrator invites NEW_PERSON; answers the invitation link's token. */
async function invite(s: Site, admin: Browser): Promise<string> {
  await admin.send("POST", `/panels/${s.panelId}/members`, {
    email: NEW_PERSON,
    role: "editor",
    access: { type: "permanent" },
  });
  return linkToken(s, NEW_PERSON, "invitation");
}

describe("invitation and password-reset links", () => {
  it("ACC-9: POST /invitations/inspect tells what a link is for and changes nothing; an unknown token is INVITATION_UNKNOWN", async () => {
    const { s, admin } = await signedInSite();
    const token = await invite(s, admin);
    const browser = s.browser();
    for (let i = 0; i < 2; i++) {
      const inspected = await browser.send("POST", "/invitations/inspect", { token });
      expect(inspected.status).toBe(200);
      expect(inspected.body).toEqual({
        email: NEW_PERSON,
        panel: { id: s.panelId, name: "Acme" },
        invitationExpiresAt: expect.any(String),
      });
    }
    const unknown = await browser.send("POST", "/invitations/inspect", {
      token: `${"A".repeat(22)}.${"A".repeat(43)}`,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("INVITATION_UNKNOWN");
  });

  it("ACC-6, ACC-9: POST /register sets the password through the link (201); the link is then used; the person signs in", async () => {
    const { s, admin } = await signedInSite();
    const token = await invite(s, admin);
    const browser = s.browser();
    const registered = await browser.send("POST", "/register", { token, password: NEW_PASSWORD });
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({ email: NEW_PERSON });
    expect(browser.cookies.size).toBe(0);
    const again = await browser.send("POST", "/register", { token, password: NEW_PASSWORD });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe("INVITATION_USED");
    const inspected = await browser.send("POST", "/invitations/inspect", { token });
    expect(inspected.body.error.code).toBe("INVITATION_USED");
    const { setup } = await signIn(s, browser, { email: NEW_PERSON, password: NEW_PASSWORD });
    expect(setup?.status).toBe(200);
  });

  it("PWD-6: POST /register refuses a common password with 422 PASSWORD_TOO_COMMON and a reason; the link still works", async () => {
    const { s, admin } = await signedInSite();
    const token = await invite(s, admin);
    const browser = s.browser();
    const common = await browser.send("POST", "/register", { token, password: "password123" });
    expect(common.status).toBe(422);
    expect(common.body.error.code).toBe("PASSWORD_TOO_COMMON");
    expect(typeof common.body.error.reason).toBe("string");
    expect((await browser.send("POST", "/invitations/inspect", { token })).status).toBe(200);
  });

  it("PWD-2: POST /password/forgot answers 202 alike for a registered and an unknown e-mail; only the registered one gets a link", async () => {
    const s = await site();
    const browser = s.browser();
    const known = await browser.send("POST", "/password/forgot", { email: ADMIN.email });
    const unknown = await browser.send("POST", "/password/forgot", {
      email: "nobody@example.test",
    });
    await s.panelAccess.settled();
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toBeUndefined();
    expect(unknown.body).toBeUndefined();
    expect(s.mailer.to(ADMIN.email, "passwordReset")).toHaveLength(1);
    expect(s.mailer.to("nobody@example.test")).toHaveLength(0);
  });

  it("PWD-3, ACC-9: POST /password/inspect tells whom a reset link is for; a superseded link is RESET_LINK_SUPERSEDED", async () => {
    const s = await site();
    const browser = s.browser();
    await browser.send("POST", "/password/forgot", { email: ADMIN.email });
    await s.panelAccess.settled();
    const first = linkToken(s, ADMIN.email, "passwordReset");
    const inspected = await browser.send("POST", "/password/inspect", { token: first });
    expect(inspected.status).toBe(200);
    expect(inspected.body).toEqual({ email: ADMIN.email, expiresAt: expect.any(String) });
    await browser.send("POST", "/password/forgot", { email: ADMIN.email });
    await s.panelAccess.settled();
    const superseded = await browser.send("POST", "/password/inspect", { token: first });
    expect(superseded.status).toBe(410);
    expect(superseded.body.error.code).toBe("RESET_LINK_SUPERSEDED");
    const unknown = await browser.send("POST", "/password/inspect", {
      token: `${"B".repeat(22)}.${"B".repeat(43)}`,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("RESET_LINK_UNKNOWN");
  });

  it("PWD-3, PWD-4: POST /password/reset sets the new password (204), ends every session, and the link works once", async () => {
    const { s, admin } = await signedInSite();
    const browser = s.browser();
    await browser.send("POST", "/password/forgot", { email: ADMIN.email });
    await s.panelAccess.settled();
    const token = linkToken(s, ADMIN.email, "passwordReset");
    const newPassword = "saffron glacier pebble 808";
    const reset = await browser.send("POST", "/password/reset", { token, password: newPassword });
    expect(reset.status).toBe(204);
    expect((await admin.send("GET", "/session")).status).toBe(401);
    const again = await browser.send("POST", "/password/reset", { token, password: newPassword });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe("RESET_LINK_USED");
    const old = await s.browser().send("POST", "/login", ADMIN);
    expect(old.body.error.code).toBe("LOGIN_FAILED");
    const login = await s.browser().send("POST", "/login", { ...ADMIN, password: newPassword });
    expect(login.status).toBe(200);
    expect(login.body.next).toBe("secondFactor");
  });

  it("PWD-3: a reset link older than an hour is RESET_LINK_EXPIRED", async () => {
    const s = await site();
    const browser = s.browser();
    await browser.send("POST", "/password/forgot", { email: ADMIN.email });
    await s.panelAccess.settled();
    const token = linkToken(s, ADMIN.email, "passwordReset");
    s.clock.advance({ hours: 1, minutes: 1 });
    const reset = await browser.send("POST", "/password/reset", {
      token,
      password: "saffron glacier pebble 808",
    });
    expect(reset.status).toBe(410);
    expect(reset.body.error.code).toBe("RESET_LINK_EXPIRED");
  });
});
