import type { ActivityPage } from "@panel-access/core";
import { serverOrPglite } from "@panel-access/test-support/postgres";
import { afterAll, describe, expect, it } from "vitest";
import { cleanup, PostgresStore, type SqlDriver } from "../src/index.js";
import { testDatabase } from "./database.js";
import { libraryOver, panelWithAdministrator } from "./support.js";

/**
 * AUD-2 on PostgreSQL, through the library: the trail is written in the
 * transaction of its change, listed by each audience, paged, and deleted
 * by `cleanup()` after `audit.keepFor`.
 */
const kind = await serverOrPglite();
const database = await testDatabase(kind);
afterAll(() => database.drop());
const { schema } = database;
const store = new PostgresStore(database.driver, { schema });
const OPERATOR = { type: "operator", operatorId: "support-7" } as const;
let panels = 0;

/** A driver whose statements touching `audit_events` fail, as if the connection dropped there. */
function failingAtTheTrail(driver: SqlDriver): SqlDriver {
  return {
    transaction: (work) =>
      driver.transaction((client) =>
        work({
          query: async (sql, params) => {
            if (sql.includes("audit_events")) throw new Error("connection lost at the trail");
            return client.query(sql, params);
          },
          exec: (sql) => client.exec(sql),
        }),
      ),
  };
}

async function aPanel(setup: ReturnType<typeof libraryOver>) {
  panels += 1;
  return panelWithAdministrator(
    setup.panelAccess,
    setup.mailer,
    `audit-admin-${panels}@example.com`,
  );
}

describe(`AUD-2 on ${kind === "server" ? "a PostgreSQL server" : "PGlite"}`, () => {
  it("AUD-2: a panel's administrator lists its events, newest first and paged; another panel's administrator is FORBIDDEN", async () => {
    const setup = libraryOver(store);
    const { panelAccess, clock } = setup;
    const acme = await aPanel(setup);
    const globex = await aPanel(setup);
    for (let i = 0; i < 4; i++) {
      clock.advance({ seconds: 1 });
      await panelAccess.addMember({
        ...acme,
        email: `audit-person-${panels}-${i}@example.com`,
        role: "analyst",
        access: { type: "permanent" },
      });
    }
    const whole = (await panelAccess.listPanelActivity({ ...acme, limit: 200 }))._unsafeUnwrap();
    expect(whole.nextCursor).toBeNull();
    expect(whole.events.every((e) => "panelId" in e && e.panelId === acme.panelId)).toBe(true);
    expect(whole.events.filter((e) => e.type === "membership.granted")).toHaveLength(5);
    expect(whole.events[0]).toMatchObject({ type: "invitation.sent", actor: acme.actor });
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ActivityPage = (
        await panelAccess.listPanelActivity({
          ...acme,
          limit: 3,
          ...(cursor !== null && { cursor }),
        })
      )._unsafeUnwrap();
      paged.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual(whole.events.map((e) => e.id));
    expect(
      await panelAccess.listPanelActivity({ actor: globex.actor, panelId: acme.panelId }),
    ).toMatchObject({ error: { type: "FORBIDDEN" } });
  });

  it("AUD-2: a person reads their own security events through an SSO session; the support team finds a failed login for an unknown e-mail", async () => {
    const setup = libraryOver(store);
    const { panelAccess, clock } = setup;
    const admin = await aPanel(setup);
    const sso = (
      await panelAccess.createPanel({
        actor: OPERATOR,
        name: "SSO",
        settings: { ssoEnabled: true },
        administratorEmail: `audit-admin-${panels}@example.com`,
      })
    )._unsafeUnwrap().panel.id;
    const email = `audit-sso-${panels}@example.com`;
    const access = { type: "permanent" } as const;
    await panelAccess.addMember({
      actor: admin.actor,
      panelId: sso,
      email,
      role: "viewer",
      access,
    });
    const link = new URL(setup.mailer.last(email, "invitation")?.link ?? "");
    const token = link.searchParams.get("token") ?? "";
    (await panelAccess.register({ token, password: "a long enough password" }))._unsafeUnwrap();
    clock.advance({ seconds: 1 });
    const session = (await panelAccess.openSsoSession({ email, panelId: sso }))._unsafeUnwrap();
    const mine = (
      await panelAccess.listSecurityActivity({ sessionToken: session.sessionToken })
    )._unsafeUnwrap();
    expect(mine.events.map((e) => e.type)).toEqual(["login.completed", "account.registered"]);
    expect(mine.events[0]).toMatchObject({ method: "sso" });

    const unknown = `audit-nobody-${panels}@example.com`;
    await panelAccess.login({ email: unknown, password: "a guess" });
    await panelAccess.settled();
    const failures = (
      await panelAccess.listAllActivity({ actor: OPERATOR, types: ["login.failed"], limit: 200 })
    )._unsafeUnwrap();
    expect(
      failures.events.find((e) => e.type === "login.failed" && e.email === unknown),
    ).toMatchObject({ accountId: null, reason: "unknownAccount", actor: { type: "anonymous" } });
  });

  it("INP-1, AUD-2: a forged cursor or a `to` before the year 1 is INVALID_INPUT, never a database error", async () => {
    const { panelAccess } = libraryOver(store);
    const forged = Buffer.from("-8640000000000000.x").toString("base64url");
    for (const input of [{ cursor: forged }, { to: new Date(-8.64e15) }]) {
      const refused = (
        await panelAccess.listAllActivity({ actor: OPERATOR, ...input })
      )._unsafeUnwrapErr();
      expect(refused.type).toBe("INVALID_INPUT");
    }
  });

  it("AUD-2: when writing the trail fails, the change is rolled back with it and nothing is announced", async () => {
    const setup = libraryOver(store);
    const admin = await aPanel(setup);
    const failing = libraryOver(new PostgresStore(failingAtTheTrail(database.driver), { schema }));
    const email = `audit-lost-${panels}@example.com`;
    const result = await failing.panelAccess.addMember({
      ...admin,
      email,
      role: "analyst",
      access: { type: "permanent" },
    });
    expect(result).toMatchObject({ error: { type: "STORAGE_FAILED" } });
    const members = (await setup.panelAccess.listMembers(admin))._unsafeUnwrap();
    expect(members.map((m) => m.email)).not.toContain(email);
    expect(failing.mailer.sent).toEqual([]);
    const trail = (
      await setup.panelAccess.listPanelActivity({ ...admin, types: ["membership.granted"] })
    )._unsafeUnwrap();
    expect(trail.events).toHaveLength(1); // the administrator's own
  });

  it("AUD-2: cleanup() deletes the events older than the library's audit.keepFor, and only those", async () => {
    const setup = libraryOver(store);
    const { panelAccess, clock } = setup;
    const admin = await aPanel(setup);
    const before = (await panelAccess.listPanelActivity(admin))._unsafeUnwrap().events;
    expect(before.length).toBeGreaterThan(0);
    clock.advance({ days: 400 });
    await panelAccess.addMember({
      ...admin,
      email: `audit-late-${panels}@example.com`,
      role: "analyst",
      access: { type: "permanent" },
    });
    // The listing hides what is past keepFor (365 days) before any cleanup.
    const listed = (await panelAccess.listPanelActivity(admin))._unsafeUnwrap().events;
    expect(listed.map((e) => e.type)).toEqual(["invitation.sent", "membership.granted"]);
    const { cleanup: keep } = panelAccess.options.audit;
    const report = await cleanup(database.driver, { schema, now: clock.now(), ...keep });
    expect(report.auditEvents).toBeGreaterThanOrEqual(before.length);
    const { rows } = await database.driver.transaction((c) =>
      c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${schema}".audit_events WHERE panel_id = $1`,
        [admin.panelId],
      ),
    );
    expect(rows[0]?.n).toBe(2);
    expect((await panelAccess.listPanelActivity(admin))._unsafeUnwrap().events).toEqual(listed);
  });
});
