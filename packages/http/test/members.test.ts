import { describe, expect, it } from "vitest";
import {
  type ApiAnswer,
  addRegisteredMember,
  linkToken,
  otherPanel,
  signedInSite,
  signIn,
} from "./harness.js";

const PERMANENT = { type: "permanent" } as const;
const FORBIDDEN = { error: { code: "FORBIDDEN", message: "You may not do this." } };

/** Every member-management route, called on one panel with a valid body. */
function everyMemberRoute(panelId: string): [string, string, unknown?][] {
  const base = `/panels/${panelId}`;
  const byEmail = { email: "someone@example.test" };
  const grant = { ...byEmail, role: "editor", access: PERMANENT };
  return [
    ["GET", `${base}/members`],
    ["POST", `${base}/members`, grant],
    ["POST", `${base}/members/change`, { ...byEmail, role: "viewer" }],
    ["POST", `${base}/members/reinvite`, grant],
    ["POST", `${base}/members/resend-invitation`, byEmail],
    ["POST", `${base}/members/remove`, byEmail],
    ["POST", `${base}/members/reset-two-factor`, byEmail],
    ["GET", `${base}/activity`],
  ];
}

const emailsOf = (answer: ApiAnswer) =>
  answer.body.members.map((m: { email: string }) => m.email) as string[];

describe("panel member management", () => {
  it("ACC-5: GET /panels/{id}/members lists the members with role, access and status", async () => {
    const { s, admin } = await signedInSite();
    await admin.send("POST", `/panels/${s.panelId}/members`, {
      email: "zoe@example.test",
      role: "editor",
      access: PERMANENT,
    });
    const list = await admin.send("GET", `/panels/${s.panelId}/members`);
    expect(list.status).toBe(200);
    expect(emailsOf(list)).toEqual(["admin@example.test", "zoe@example.test"]);
    const zoe = list.body.members[1];
    expect(zoe).toMatchObject({ role: "editor", access: PERMANENT, accountId: expect.any(String) });
    expect(typeof zoe.status).toBe("string");
    expect(list.body.members[0].status).not.toBe(zoe.status);
  });

  it("ACC-1, ACC-2: POST /panels/{id}/members invites an unregistered person (201); a registered one gets a notice", async () => {
    const { s, admin } = await signedInSite();
    const invited = await admin.send("POST", `/panels/${s.panelId}/members`, {
      email: "zoe@example.test",
      role: "editor",
      access: PERMANENT,
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toEqual({
      accountId: expect.any(String),
      notice: "invitation",
      invitationExpiresAt: expect.any(String),
    });
    expect(s.mailer.to("zoe@example.test", "invitation")).toHaveLength(1);

    const globex = await otherPanel(s, "globex.admin@example.test");
    const globexAdmin = s.browser();
    await globexAdmin.send("POST", "/register", {
      token: linkToken(s, "globex.admin@example.test", "invitation"),
      password: "orchid quarry velvet 4471",
    });
    await signIn(s, globexAdmin, {
      email: "globex.admin@example.test",
      password: "orchid quarry velvet 4471",
    });
    const granted = await globexAdmin.send("POST", `/panels/${globex}/members`, {
      email: "admin@example.test",
      role: "viewer",
      access: { type: "temporary", endsAt: s.clock.now().plus({ days: 3 }).toISO() },
    });
    expect(granted.status).toBe(201);
    expect(granted.body.notice).toBe("accessGranted");
    expect(granted.body.invitationExpiresAt).toBeNull();
  });

  it("PNL-1, INP-1: POST /panels/{id}/members refuses an access end in the past with 422 and a bad body with 400", async () => {
    const { s, admin } = await signedInSite();
    const past = await admin.send("POST", `/panels/${s.panelId}/members`, {
      email: "zoe@example.test",
      role: "editor",
      access: { type: "temporary", endsAt: s.clock.now().minus({ days: 1 }).toISO() },
    });
    expect(past.status).toBe(422);
    expect(past.body.error.code).toBe("ACCESS_END_NOT_IN_FUTURE");
    const bad = await admin.send("POST", `/panels/${s.panelId}/members`, {
      email: "zoe@example.test",
      role: "editor",
      access: { type: "forever" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("INVALID_INPUT");
    expect(s.mailer.to("zoe@example.test")).toHaveLength(0);
  });

  it("PNL-2, PNL-6: POST /members/change changes role and term (204); demoting the last administrator is LAST_ADMINISTRATOR", async () => {
    const { s, admin } = await signedInSite();
    const member = await addRegisteredMember(s, admin, "zoe@example.test", "editor");
    await otherPanel(s, "globex.admin@example.test");
    const endsAt = s.clock.now().plus({ days: 10 }).toISO();
    const changed = await admin.send("POST", `/panels/${s.panelId}/members/change`, {
      email: "zoe@example.test",
      role: "viewer",
      access: { type: "temporary", endsAt },
    });
    expect(changed.status).toBe(204);
    const session = await member.browser.send("GET", "/session");
    expect(session.body.panels[0].role).toBe("viewer");
    expect(session.body.panels[0].access.type).toBe("temporary");

    const last = await admin.send("POST", `/panels/${s.panelId}/members/change`, {
      email: "admin@example.test",
      role: "viewer",
    });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe("LAST_ADMINISTRATOR");
    const unknown = await admin.send("POST", `/panels/${s.panelId}/members/change`, {
      email: "nobody@example.test",
      role: "viewer",
    });
    const notMember = await admin.send("POST", `/panels/${s.panelId}/members/change`, {
      email: "globex.admin@example.test",
      role: "viewer",
    });
    // ACC-5: an e-mail with no account at all answers like one with an account
    // elsewhere: the administrator learns nothing about other panels.
    expect(notMember.status).toBe(404);
    expect(notMember.body.error.code).toBe("MEMBERSHIP_NOT_FOUND");
    expect({ status: unknown.status, body: unknown.body }).toEqual({
      status: notMember.status,
      body: notMember.body,
    });
  });

  it("PNL-4, PNL-7: POST /members/remove removes the membership (204); the member's session stops reaching the panel at once", async () => {
    const { s, admin } = await signedInSite();
    const member = await addRegisteredMember(s, admin, "zoe@example.test", "administrator");
    // Zoe also administers another panel, so her session itself stays valid.
    await otherPanel(s, "zoe@example.test");
    expect((await member.browser.send("GET", `/panels/${s.panelId}/members`)).status).toBe(200);
    const removed = await admin.send("POST", `/panels/${s.panelId}/members/remove`, {
      email: "zoe@example.test",
    });
    expect(removed.status).toBe(204);
    const after = await member.browser.send("GET", `/panels/${s.panelId}/members`);
    expect(after.status).toBe(403);
    expect(after.body).toEqual(FORBIDDEN);
    expect((await member.browser.send("GET", "/session")).status).toBe(200);
    expect(emailsOf(await admin.send("GET", `/panels/${s.panelId}/members`))).toEqual([
      "admin@example.test",
    ]);
    const last = await admin.send("POST", `/panels/${s.panelId}/members/remove`, {
      email: "admin@example.test",
    });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe("LAST_ADMINISTRATOR");
  });

  it("PNL-3, PNL-5: POST /members/reinvite restores removed access (201, accessRestored); live access is ACCESS_STILL_LIVE", async () => {
    const { s, admin } = await signedInSite();
    const member = await addRegisteredMember(s, admin, "zoe@example.test", "editor");
    const live = await admin.send("POST", `/panels/${s.panelId}/members/reinvite`, {
      email: "zoe@example.test",
      role: "editor",
      access: PERMANENT,
    });
    expect(live.status).toBe(409);
    expect(live.body.error.code).toBe("ACCESS_STILL_LIVE");
    await admin.send("POST", `/panels/${s.panelId}/members/remove`, { email: "zoe@example.test" });
    const back = await admin.send("POST", `/panels/${s.panelId}/members/reinvite`, {
      email: "zoe@example.test",
      role: "editor",
      access: PERMANENT,
    });
    expect(back.status).toBe(201);
    expect(back.body).toEqual({
      accountId: member.accountId,
      notice: "accessRestored",
      invitationExpiresAt: null,
    });
    expect(s.mailer.to("zoe@example.test", "accessRestored")).toHaveLength(1);
  });

  it("ACC-7: POST /members/resend-invitation sends a new link (201) and the old one is superseded; a registered member is ALREADY_REGISTERED", async () => {
    const { s, admin } = await signedInSite();
    await admin.send("POST", `/panels/${s.panelId}/members`, {
      email: "zoe@example.test",
      role: "editor",
      access: PERMANENT,
    });
    const first = linkToken(s, "zoe@example.test", "invitation");
    const resent = await admin.send("POST", `/panels/${s.panelId}/members/resend-invitation`, {
      email: "zoe@example.test",
    });
    expect(resent.status).toBe(201);
    expect(resent.body).toEqual({ invitationExpiresAt: expect.any(String) });
    expect(linkToken(s, "zoe@example.test", "invitation")).not.toBe(first);
    const old = await s.browser().send("POST", "/invitations/inspect", { token: first });
    expect(old.body.error.code).toBe("INVITATION_SUPERSEDED");
    const registered = await admin.send("POST", `/panels/${s.panelId}/members/resend-invitation`, {
      email: "admin@example.test",
    });
    expect(registered.status).toBe(409);
    expect(registered.body.error.code).toBe("ALREADY_REGISTERED");
  });

  it("TFA-8: POST /members/reset-two-factor resets the member's 2FA (204): their sessions end, they are e-mailed, the next login sets it up", async () => {
    const { s, admin } = await signedInSite();
    const member = await addRegisteredMember(s, admin, "zoe@example.test", "editor");
    const reset = await admin.send("POST", `/panels/${s.panelId}/members/reset-two-factor`, {
      email: "zoe@example.test",
    });
    expect(reset.status).toBe(204);
    expect(s.mailer.to("zoe@example.test", "twoFactorReset")).toHaveLength(1);
    expect((await member.browser.send("GET", "/session")).status).toBe(401);
    const login = await s.browser().send("POST", "/login", member.who);
    expect(login.body.next).toBe("secondFactorSetup");
  });

  it("TFA-8: resetting 2FA of a member who also reaches a panel the administrator does not administer is TWO_FACTOR_RESET_NEEDS_SUPPORT", async () => {
    const { s, admin } = await signedInSite();
    const member = await addRegisteredMember(s, admin, "zoe@example.test", "editor");
    await otherPanel(s, "zoe@example.test");
    const reset = await admin.send("POST", `/panels/${s.panelId}/members/reset-two-factor`, {
      email: "zoe@example.test",
    });
    expect(reset.status).toBe(409);
    expect(reset.body.error.code).toBe("TWO_FACTOR_RESET_NEEDS_SUPPORT");
    expect((await member.browser.send("GET", "/session")).status).toBe(200);
  });

  it("AUD-2: GET /panels/{id}/activity pages the panel's audit trail newest first", async () => {
    const { s, admin } = await signedInSite();
    for (const name of ["ann", "bob", "cyd"]) {
      s.clock.advance({ minutes: 1 });
      await admin.send("POST", `/panels/${s.panelId}/members`, {
        email: `${name}@example.test`,
        role: "editor",
        access: PERMANENT,
      });
    }
    const all = await admin.send("GET", `/panels/${s.panelId}/activity?types=membership.granted`);
    expect(all.status).toBe(200);
    expect(all.body.events.length).toBeGreaterThanOrEqual(3);
    expect(all.body.events.every((e: { type: string }) => e.type === "membership.granted")).toBe(
      true,
    );
    const first = await admin.send("GET", `/panels/${s.panelId}/activity?limit=1`);
    expect(first.body.events).toHaveLength(1);
    expect(typeof first.body.nextCursor).toBe("string");
    const second = await admin.send(
      "GET",
      `/panels/${s.panelId}/activity?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    expect(second.status).toBe(200);
    expect(second.body.events).toHaveLength(1);
    expect(second.body.events[0]).not.toEqual(first.body.events[0]);
    expect(Date.parse(second.body.events[0].at)).toBeLessThanOrEqual(
      Date.parse(first.body.events[0].at),
    );
  });

  it("PNL-7: every member route answers 403 FORBIDDEN for a panel the session does not reach, exactly as for a panel that does not exist", async () => {
    const { s, admin } = await signedInSite();
    const globex = await otherPanel(s, "globex.admin@example.test");
    for (const [method, path, body] of everyMemberRoute(globex)) {
      const notReached = await admin.send(method, path, body);
      const missingPath = path.replace(globex, "no-such-panel-0123456789");
      const missing = await admin.send(method, missingPath, body);
      expect(notReached.status).toBe(403);
      expect(notReached.body).toEqual(FORBIDDEN);
      expect(missing.status).toBe(403);
      expect(missing.body).toEqual(notReached.body);
    }
    expect(s.mailer.to("someone@example.test")).toHaveLength(0);
  });

  it("ACC-5, PNL-7: a member who is not an administrator gets FORBIDDEN on every member route of their own panel", async () => {
    const { s, admin } = await signedInSite();
    const editor = await addRegisteredMember(s, admin, "zoe@example.test", "editor");
    expect((await editor.browser.send("GET", "/session")).body.panels[0].id).toBe(s.panelId);
    for (const [method, path, body] of everyMemberRoute(s.panelId)) {
      const answer = await editor.browser.send(method, path, body);
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual(FORBIDDEN);
    }
    expect(s.mailer.to("someone@example.test")).toHaveLength(0);
  });

  it("SES-1: every member route answers 401 SESSION_INVALID without a session", async () => {
    const { s } = await signedInSite();
    for (const [method, path, body] of everyMemberRoute(s.panelId)) {
      const answer = await s.browser().send(method, path, body);
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe("SESSION_INVALID");
    }
  });
});
