import type { ActivityEvent, ActivityPage } from "@panel-access/core";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { everyPage, OPERATOR } from "../../support/activity.js";
import {
  failLogins,
  PASSWORD,
  resetTokenOf,
  tokenOf,
  type World,
  worldWithPanel,
} from "../../support/world.js";

const PERSON = "person@example.com";
const OTHER = "other@example.com";
const BOSS = "boss@globex.example";
const FORBIDDEN = err({ type: "FORBIDDEN" });

/** A second panel, Globex, whose only administrator (`BOSS`) is nobody of Acme. */
async function globex(w: World) {
  const created = (
    await w.panelAccess.createPanel({ actor: OPERATOR, name: "Globex", administratorEmail: BOSS })
  )._unsafeUnwrap();
  const token = tokenOf(w.mailer.last(BOSS, "invitation"));
  (await w.panelAccess.register({ token, password: PASSWORD }))._unsafeUnwrap();
  const boss = { type: "account", accountId: created.administrator.accountId } as const;
  return { panelId: created.panel.id, boss };
}

const typesOf = (events: readonly ActivityEvent[]) => events.map((e) => e.type);

describe("AUD-2: who lists what", () => {
  it("AUD-2: a panel's administrator lists its events (who did what to whom); an administrator of another panel, a member, the system and an operator are FORBIDDEN", async () => {
    const w = await worldWithPanel();
    const other = await globex(w);
    const person = await w.member(PERSON);
    const list = w.panelAccess.listPanelActivity;
    const acme = await everyPage(list, { actor: w.admin, panelId: w.panelId });
    expect(acme.every((e) => "panelId" in e && e.panelId === w.panelId)).toBe(true);
    expect(
      acme.find((e) => e.type === "membership.granted" && e.accountId === person.accountId),
    ).toMatchObject({ actor: w.admin, role: "analyst", access: { type: "permanent" } });
    expect(typesOf(acme)).toContain("panel.created");
    expect(typesOf(acme)).toContain("invitation.sent");
    // Someone's security events are not the panel's.
    expect(typesOf(acme)).not.toContain("account.registered");
    const globexEvents = await everyPage(list, { actor: other.boss, panelId: other.panelId });
    expect(globexEvents.every((e) => "panelId" in e && e.panelId === other.panelId)).toBe(true);

    for (const actor of [other.boss, person, { type: "system" } as const, OPERATOR]) {
      expect(await list({ actor, panelId: w.panelId })).toEqual(FORBIDDEN);
    }
    expect(await list({ actor: w.admin, panelId: "no-such-panel" })).toEqual(
      err({ type: "PANEL_NOT_FOUND" }),
    );
  });

  it("AUD-2: a person lists their own security events: failed logins, the lock, the reset, 2FA set up; not another person's, nor administration", async () => {
    const w = await worldWithPanel();
    const { actor, app } = await w.enrolled(PERSON);
    await w.enrolled(OTHER);
    await failLogins(w, OTHER, 2);
    w.clock.advance({ minutes: 1 });
    await failLogins(w, PERSON, 6); // LCK-1: the sixth locks
    (
      await w.panelAccess.resetPassword({ token: resetTokenOf(w, PERSON), password: PASSWORD })
    )._unsafeUnwrap();
    const { challenge } = await w.secondFactorStep(PERSON);
    const { session } = (
      await w.panelAccess.verifySecondFactor({ challenge, code: app.code() })
    )._unsafeUnwrap();
    const mine = await everyPage(w.panelAccess.listSecurityActivity, {
      sessionToken: session.sessionToken,
    });
    expect(mine.every((e) => "accountId" in e && e.accountId === actor.accountId)).toBe(true);
    const types = typesOf(mine);
    expect(types.filter((t) => t === "login.failed")).toHaveLength(6);
    for (const expected of [
      "account.locked",
      "password.reset",
      "sessions.revoked",
      "twoFactor.enrolled",
      "backupCodes.issued",
      "login.completed",
      "account.registered",
    ] as const) {
      expect(types, expected).toContain(expected);
    }
    for (const administration of ["membership.granted", "invitation.sent", "account.created"]) {
      expect(types).not.toContain(administration);
    }
    expect(mine.find((e) => e.type === "login.failed")).toMatchObject({
      actor: { type: "anonymous" },
      email: PERSON,
      reason: "wrongPassword",
    });
    // Kinds narrow the person's kinds; an administration kind is simply none of theirs.
    const only = { sessionToken: session.sessionToken, types: ["login.failed" as const] };
    expect(typesOf(await everyPage(w.panelAccess.listSecurityActivity, only))).toEqual(
      Array(6).fill("login.failed"),
    );
    const administration = {
      sessionToken: session.sessionToken,
      types: ["membership.granted" as const],
    };
    expect(await everyPage(w.panelAccess.listSecurityActivity, administration)).toEqual([]);
    expect(
      await w.panelAccess.listSecurityActivity({
        sessionToken: `${"A".repeat(22)}.${"B".repeat(43)}`,
      }),
    ).toEqual(err({ type: "SESSION_INVALID" }));
  });

  it("AUD-2: a session opened through SSO may read the person's security activity", async () => {
    const w = await worldWithPanel();
    const actor = await w.member(PERSON);
    const sso = (
      await w.panelAccess.createPanel({
        actor: OPERATOR,
        name: "SSO panel",
        settings: { ssoEnabled: true },
        administratorEmail: "admin@example.com",
      })
    )._unsafeUnwrap().panel.id;
    const access = { type: "permanent" } as const;
    await w.panelAccess.addMember({
      actor: w.admin,
      panelId: sso,
      email: PERSON,
      role: "viewer",
      access,
    });
    w.clock.advance({ minutes: 1 });
    const session = (
      await w.panelAccess.openSsoSession({ email: PERSON, panelId: sso })
    )._unsafeUnwrap();
    const mine = await everyPage(w.panelAccess.listSecurityActivity, {
      sessionToken: session.sessionToken,
    });
    expect(mine[0]).toMatchObject({
      type: "login.completed",
      accountId: actor.accountId,
      method: "sso",
    });
  });

  it("AUD-2: the support team lists every event, or one account's or one panel's; anyone else is FORBIDDEN before any lookup", async () => {
    const w = await worldWithPanel();
    const other = await globex(w);
    const person = await w.member(PERSON);
    await failLogins(w, "nobody@example.com", 1);
    const list = w.panelAccess.listAllActivity;
    const all = await everyPage(list, { actor: OPERATOR });
    expect(typesOf(all)).toContain("panel.created");
    expect(all.filter((e) => e.type === "panel.created")).toHaveLength(2);
    // A failed login for an e-mail with no account: no account, the e-mail typed.
    expect(all.find((e) => e.type === "login.failed")).toMatchObject({
      accountId: null,
      email: "nobody@example.com",
      reason: "unknownAccount",
    });
    const theirs = await everyPage(list, {
      actor: OPERATOR,
      accountEmail: ` ${PERSON.toUpperCase()}`,
    });
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((e) => "accountId" in e && e.accountId === person.accountId)).toBe(true);
    expect(typesOf(theirs)).toEqual(
      expect.arrayContaining(["membership.granted", "account.registered"]),
    );
    const globexOnly = await everyPage(list, { actor: OPERATOR, panelId: other.panelId });
    expect(globexOnly.length).toBeGreaterThan(0);
    expect(globexOnly.every((e) => "panelId" in e && e.panelId === other.panelId)).toBe(true);
    const both = await everyPage(list, {
      actor: OPERATOR,
      accountEmail: PERSON,
      panelId: other.panelId,
    });
    expect(both).toEqual([]);

    expect(await list({ actor: OPERATOR, accountEmail: "nobody@example.com" })).toEqual(
      err({ type: "ACCOUNT_NOT_FOUND" }),
    );
    expect(await list({ actor: OPERATOR, panelId: "no-such-panel" })).toEqual(
      err({ type: "PANEL_NOT_FOUND" }),
    );
    for (const actor of [w.admin, person, { type: "system" } as const]) {
      expect(await list({ actor })).toEqual(FORBIDDEN);
      expect(await list({ actor, accountEmail: "nobody@example.com" })).toEqual(FORBIDDEN);
    }
  });
});

describe("AUD-2: paging, filters and retention", () => {
  it("AUD-2: pages of `limit` (default 50, at most 200) newest first; following the cursors lists every event once, even while new ones arrive", async () => {
    const w = await worldWithPanel();
    for (let i = 0; i < 20; i++) await w.invite(`person-${i}@example.com`); // 3 events each
    const list = w.panelAccess.listAllActivity;
    const first = (await list({ actor: OPERATOR }))._unsafeUnwrap();
    expect(first.events).toHaveLength(50);
    expect(first.nextCursor).toEqual(expect.any(String));
    const whole = (await list({ actor: OPERATOR, limit: 200 }))._unsafeUnwrap();
    expect(whole.nextCursor).toBeNull();
    expect(whole.events.length).toBeGreaterThan(60);

    const seen: ActivityEvent[] = [];
    let cursor: string | null = null;
    do {
      const page: ActivityPage = (
        await list({ actor: OPERATOR, limit: 7, ...(cursor !== null && { cursor }) })
      )._unsafeUnwrap();
      seen.push(...page.events);
      cursor = page.nextCursor;
      // A newer event arriving between pages comes before the cursor: it never shifts a page.
      w.clock.advance({ milliseconds: 1 });
      await w.invite(`late-${seen.length}@example.com`);
    } while (cursor !== null);
    expect(seen.map((e) => e.id)).toEqual(whole.events.map((e) => e.id));

    for (const limit of [0, 201, 1.5, -1]) {
      expect((await list({ actor: OPERATOR, limit })).isErr()).toBe(true);
    }
    const issuesOf = async (input: object) =>
      (await list({ actor: OPERATOR, ...input }))._unsafeUnwrapErr();
    expect(await issuesOf({ cursor: "not a cursor" })).toMatchObject({
      type: "INVALID_INPUT",
      issues: [{ path: ["cursor"] }],
    });
    expect(await issuesOf({ cursor: `${first.nextCursor}=` })).toMatchObject({
      type: "INVALID_INPUT",
    });
    const forged = Buffer.from("-8640000000000000.x").toString("base64url");
    expect(await issuesOf({ cursor: forged })).toMatchObject({
      type: "INVALID_INPUT",
      issues: [{ path: ["cursor"] }],
    });
    expect(await issuesOf({ to: new Date(-8.64e15) })).toMatchObject({
      type: "INVALID_INPUT",
      issues: [{ path: ["to"] }],
    });
    expect(await issuesOf({ types: ["login.failed", "no.such.type"] })).toMatchObject({
      type: "INVALID_INPUT",
      issues: [{ path: ["types", 1] }],
    });
  });

  it("AUD-2: filters by time (from inclusive, to exclusive) and by kind", async () => {
    const w = await worldWithPanel();
    const monday = w.clock.advance({ days: 1 });
    await w.invite("monday@example.com");
    const tuesday = w.clock.advance({ days: 1 });
    await w.invite("tuesday@example.com");
    await failLogins(w, "tuesday@example.com", 1);
    const wednesday = w.clock.advance({ days: 1 });
    await w.invite("wednesday@example.com");
    const list = (input: object) =>
      everyPage(w.panelAccess.listAllActivity, { actor: OPERATOR, ...input });
    const onTuesday = await list({ from: tuesday, to: wednesday });
    expect(onTuesday.every((e) => e.at.toMillis() === tuesday.toMillis())).toBe(true);
    expect(typesOf(onTuesday).sort()).toEqual(
      ["account.created", "invitation.sent", "login.failed", "membership.granted"].sort(),
    );
    expect(await list({ from: wednesday.plus({ milliseconds: 1 }) })).toEqual([]);
    expect((await list({ to: monday })).every((e) => e.at < monday)).toBe(true);
    expect((await list({ from: monday.toISO(), to: tuesday.toJSDate() })).length).toBe(3);
    const invitations = await list({ types: ["invitation.sent"], from: monday });
    expect(invitations.map((e) => e.type === "invitation.sent" && e.accountId)).toHaveLength(3);
    expect(await list({ types: [] })).toEqual([]);
    const both = await list({ types: ["login.failed", "account.created"], from: monday });
    expect(typesOf(both).sort()).toEqual([
      "account.created",
      "account.created",
      "account.created",
      "login.failed",
    ]);
    const instants = both.map((e) => e.at.toMillis());
    expect(instants).toEqual([...instants].sort((a, b) => b - a));
    expect(
      await w.panelAccess.listAllActivity({ actor: OPERATOR, from: tuesday, to: tuesday }),
    ).toMatchObject(err({ type: "INVALID_INPUT", issues: [{ path: ["to"] }] }));
  });

  it("AUD-2: events older than `audit.keepFor` are never listed", async () => {
    const w = await worldWithPanel({ audit: { keepFor: { days: 30 } } });
    const old = await everyPage(w.panelAccess.listAllActivity, { actor: OPERATOR });
    expect(old.length).toBeGreaterThan(0);
    w.clock.advance({ days: 30, milliseconds: 1 });
    await w.invite("recent@example.com");
    const listed = await everyPage(w.panelAccess.listAllActivity, { actor: OPERATOR });
    expect(typesOf(listed).sort()).toEqual(
      ["account.created", "invitation.sent", "membership.granted"].sort(),
    );
    const asked = { actor: OPERATOR, from: w.clock.now().minus({ days: 90 }) };
    expect(await everyPage(w.panelAccess.listAllActivity, asked)).toEqual(listed);
  });

  it("AUD-2: the store's cleanup, given `audit.keepFor`, deletes the events older than that, and only those", async () => {
    const w = await worldWithPanel({ audit: { keepFor: { days: 30 } } });
    w.clock.advance({ days: 20 });
    await w.invite("recent@example.com");
    const before = await everyPage(w.panelAccess.listAllActivity, { actor: OPERATOR });
    const initial = w.store.counts().auditEvents;
    w.clock.advance({ days: 10, milliseconds: 1 });
    const keepAuditEventsFor = w.panelAccess.options.audit.keepFor;
    const report = await w.store.cleanup({ now: w.clock.now(), keepAuditEventsFor });
    expect(report.auditEvents).toBe(initial - 3);
    expect(w.store.counts().auditEvents).toBe(3);
    const after = await everyPage(w.panelAccess.listAllActivity, { actor: OPERATOR });
    expect(after).toEqual(before.filter((e) => e.at > w.clock.now().minus({ days: 30 })));
    expect(typesOf(after).sort()).toEqual(
      ["account.created", "invitation.sent", "membership.granted"].sort(),
    );
  });

  it("AUD-2: `options.audit.cleanup` carries `audit.keepFor`: spread into the store's cleanup it deletes what the listings stopped showing; a cleanup without it keeps 365 days", async () => {
    const w = await worldWithPanel({ audit: { keepFor: { days: 500 } } });
    expect(w.panelAccess.options.audit.cleanup.keepAuditEventsFor.as("days")).toBe(500);
    const events = w.store.counts().auditEvents;
    w.clock.advance({ days: 400 });
    // Listed for 500 days: a cleanup on the default would delete them now.
    expect(await everyPage(w.panelAccess.listAllActivity, { actor: OPERATOR })).toHaveLength(
      events,
    );
    const spread = { now: w.clock.now(), ...w.panelAccess.options.audit.cleanup };
    expect((await w.store.cleanup(spread)).auditEvents).toBe(0);
    w.clock.advance({ days: 100, milliseconds: 1 });
    const later = { now: w.clock.now(), ...w.panelAccess.options.audit.cleanup };
    expect((await w.store.cleanup(later)).auditEvents).toBe(events);

    const shorter = await worldWithPanel({ audit: { keepFor: { days: 30 } } });
    shorter.clock.advance({ days: 40 });
    expect(await everyPage(shorter.panelAccess.listAllActivity, { actor: OPERATOR })).toEqual([]);
    // The mistake this guards against: no retention given, the store keeps them a year.
    expect((await shorter.store.cleanup({ now: shorter.clock.now() })).auditEvents).toBe(0);
    const given = { now: shorter.clock.now(), ...shorter.panelAccess.options.audit.cleanup };
    expect((await shorter.store.cleanup(given)).auditEvents).toBeGreaterThan(0);
    expect(shorter.store.counts().auditEvents).toBe(0);
  });
});
