import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { openSession } from "../../support/sessions.js";
import { ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";

describe("sessions", () => {
  it("SES-1: a completed login returns a token whose secret is stored only as a hash", async () => {
    const w = await worldWithPanel();
    const person = await w.member(PERSON);
    const { sessionToken, expiresAt } = await openSession(w, PERSON);
    expect(expiresAt.toISO()).toBe(w.clock.now().plus({ hours: 12 }).toISO());
    const [selector, secret] = sessionToken.split(".");
    const stored = JSON.stringify(w.store.snapshot());
    expect(stored).toContain(selector);
    expect(stored).not.toContain(secret);
    const valid = (await w.panelAccess.validateSession({ sessionToken }))._unsafeUnwrap();
    expect(valid).toMatchObject({ accountId: person.accountId, email: PERSON });
    expect(valid.panels.map((p) => p.panel.id)).toEqual([w.panelId]);
  });

  it("SES-1: idle expiry: used 1 ms before 30 idle minutes it works and is touched; unused for 30 minutes it ends", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const { sessionToken } = await openSession(w, PERSON);
    w.clock.advance({ minutes: 30, milliseconds: -1 });
    const touched = (await w.panelAccess.validateSession({ sessionToken }))._unsafeUnwrap();
    expect(touched.expiresAt.toISO()).toBe(w.clock.now().plus({ minutes: 30 }).toISO());
    w.clock.advance({ minutes: 30 });
    expect(await w.panelAccess.validateSession({ sessionToken })).toEqual(
      err({ type: "SESSION_INVALID" }),
    );
  });

  it("SES-1: absolute expiry: a session in constant use ends 12 hours after login", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const { sessionToken, expiresAt } = await openSession(w, PERSON);
    while (w.clock.now().plus({ minutes: 20 }) < expiresAt) {
      w.clock.advance({ minutes: 20 });
      expect((await w.panelAccess.validateSession({ sessionToken })).isOk()).toBe(true);
    }
    w.clock.set(expiresAt.minus({ milliseconds: 1 }));
    expect((await w.panelAccess.validateSession({ sessionToken })).isOk()).toBe(true);
    w.clock.set(expiresAt);
    expect(await w.panelAccess.validateSession({ sessionToken })).toEqual(
      err({ type: "SESSION_INVALID" }),
    );
  });

  it("SES-1, ACC-8: a forged secret for a real session id is refused", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const { sessionToken } = await openSession(w, PERSON);
    const forged = `${sessionToken.split(".")[0]}.${"A".repeat(43)}`;
    expect(await w.panelAccess.validateSession({ sessionToken: forged })).toEqual(
      err({ type: "SESSION_INVALID" }),
    );
  });

  it("SES-2: logout ends that session only", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const [one, two] = [await openSession(w, PERSON), await openSession(w, PERSON)];
    (await w.panelAccess.logout({ sessionToken: one.sessionToken }))._unsafeUnwrap();
    expect(await w.panelAccess.validateSession(one)).toEqual(err({ type: "SESSION_INVALID" }));
    expect((await w.panelAccess.validateSession(two)).isOk()).toBe(true);
    expect((await w.panelAccess.logout({ sessionToken: one.sessionToken })).isOk()).toBe(true);
    expect(w.events.ofType("sessions.revoked")).toEqual([
      expect.objectContaining({ reason: "logout" }),
    ]);
  });

  it("SES-2: logging out everywhere ends every session of the account, not others'", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const mine = [await openSession(w, PERSON), await openSession(w, PERSON)];
    const admins = await openSession(w, ADMIN_EMAIL, ADMIN_PASSWORD);
    (
      await w.panelAccess.logoutEverywhere({ sessionToken: mine[0]?.sessionToken ?? "" })
    )._unsafeUnwrap();
    for (const session of mine) {
      expect(await w.panelAccess.validateSession(session)).toEqual(
        err({ type: "SESSION_INVALID" }),
      );
    }
    expect((await w.panelAccess.validateSession(admins)).isOk()).toBe(true);
  });

  it("SES-2: a permanent block ends every session of the account", async () => {
    const w = await worldWithPanel({ lockoutThreshold: 1, locksBeforePermanentBlock: 1 });
    await w.member(PERSON);
    const session = await openSession(w, PERSON);
    await w.panelAccess.login({ email: PERSON, password: "wrong password" });
    await w.panelAccess.settled();
    expect(w.events.ofType("sessions.revoked")).toEqual([
      expect.objectContaining({ reason: "permanentBlock" }),
    ]);
    expect(await w.panelAccess.validateSession(session)).toEqual(err({ type: "SESSION_INVALID" }));
  });

  it("SES-1, LCK-3: a session stops working while its account is locked", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const session = await openSession(w, PERSON);
    for (let i = 0; i < 6; i++)
      await w.panelAccess.login({ email: PERSON, password: "wrong password" });
    // A failed login is answered before its count is written (LCK-8 v2).
    await w.panelAccess.settled();
    expect(await w.panelAccess.validateSession(session)).toEqual(err({ type: "SESSION_INVALID" }));
  });

  it("PNL-7: a session reaches a panel only while the membership is live, checked at each use", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const globex = await w.otherPanel();
    const endsAt = w.clock.now().plus({ minutes: 10 });
    await w.panelAccess.addMember({
      actor: w.admin,
      panelId: globex,
      email: PERSON,
      role: "viewer",
      access: { type: "temporary", endsAt: endsAt.toISO() ?? "" },
    });
    const session = await openSession(w, PERSON);
    expect((await w.panelAccess.validateSession(session))._unsafeUnwrap().panels).toHaveLength(2);
    w.clock.set(endsAt);
    const panels = (await w.panelAccess.validateSession(session))._unsafeUnwrap().panels;
    expect(panels.map((p) => p.panel.name)).toEqual(["Acme"]);
    await w.panelAccess.removeMember({ actor: w.admin, panelId: w.panelId, email: PERSON });
    expect(await w.panelAccess.validateSession(session)).toEqual(err({ type: "SESSION_INVALID" }));
  });

  it("SES-1: lifetimes are configurable", async () => {
    const w = await worldWithPanel({
      sessions: { idleTimeout: { minutes: 5 }, absoluteTimeout: { hours: 1 } },
    });
    await w.member(PERSON);
    const { sessionToken, expiresAt } = await openSession(w, PERSON);
    expect(expiresAt.toISO()).toBe(w.clock.now().plus({ hours: 1 }).toISO());
    w.clock.advance({ minutes: 5 });
    expect(await w.panelAccess.validateSession({ sessionToken })).toEqual(
      err({ type: "SESSION_INVALID" }),
    );
    expect((await w.panelAccess.login({ email: PERSON, password: PASSWORD })).isOk()).toBe(true);
  });
});
