import { MemoryStore } from "@panel-access/adapter-memory";
import { createPanelAccess, type StoragePort } from "@panel-access/core";
import { EventRecorder, ManualClock, RecordingMailer } from "@panel-access/core/testing";
import { TEST_ARGON2, testTwoFactorOptions } from "@panel-access/testkit";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { asJson, everyPage, OPERATOR, withoutId } from "../../support/activity.js";
import {
  ADMIN_EMAIL,
  failLogins,
  PASSWORD,
  resetTokenOf,
  type World,
  worldWithPanel,
} from "../../support/world.js";

const PERSON = "person@example.com";

/** The whole stored trail, newest first, as the support team lists it. */
const trailOf = (w: World) => everyPage(w.panelAccess.listAllActivity, { actor: OPERATOR });

describe("AUD-2: the audit trail is durable: written in the unit of work of its change", () => {
  it("AUD-2: every event the event sink receives is stored, with the same content; the sink stays a live feed", async () => {
    const w = await worldWithPanel();
    const { actor } = await w.enrolled(PERSON);
    await failLogins(w, PERSON, 2);
    await w.panelAccess.forgotPassword({ email: PERSON });
    await w.panelAccess.settled();
    (
      await w.panelAccess.resetPassword({ token: resetTokenOf(w, PERSON), password: PASSWORD })
    )._unsafeUnwrap();
    const access = { type: "permanent" } as const;
    const membership = { actor: w.admin, panelId: w.panelId, email: PERSON };
    await w.panelAccess.changeAccess({ ...membership, role: "editor" });
    await w.panelAccess.removeMember(membership);
    await w.panelAccess.reinviteMember({ ...membership, role: "analyst", access });
    await w.panelAccess.unblockAccount({ actor: OPERATOR, email: PERSON }); // refused: not blocked
    const published = w.events.events;
    expect(published.length).toBeGreaterThan(20);
    const stored = await trailOf(w);
    const byJson = (events: readonly unknown[]) => events.map((e) => JSON.stringify(e)).sort();
    expect(byJson(stored.map(withoutId).map(asJson))).toEqual(byJson(published.map(asJson)));
    expect(new Set(stored.map((e) => e.id)).size).toBe(stored.length);
    // Newest first; and about the person: their account's events name them.
    const instants = stored.map((e) => e.at.toMillis());
    expect(instants).toEqual([...instants].sort((a, b) => b - a));
    expect(stored.find((e) => e.type === "password.reset")).toMatchObject({
      accountId: actor.accountId,
      actor,
    });
  });

  it("AUD-2: the events of one change are listed newest first, so in the reverse of the order they happened", async () => {
    const w = await worldWithPanel();
    w.events.clear();
    w.clock.advance({ milliseconds: 1 }); // after the panel's own events, which share an instant
    await w.invite(PERSON);
    const stored = (
      await w.panelAccess.listAllActivity({ actor: OPERATOR, limit: 3 })
    )._unsafeUnwrap();
    expect(stored.events.map((e) => e.type)).toEqual(w.events.events.map((e) => e.type).reverse());
    expect(stored.events.map((e) => e.type)).toEqual([
      "invitation.sent",
      "membership.granted",
      "account.created",
    ]);
  });

  it("AUD-2: a refused request, rolled back, leaves no event in the trail", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const before = await trailOf(w);
    const access = { type: "permanent" } as const;
    const refusals = [
      await w.panelAccess.removeMember({ actor: w.admin, panelId: w.panelId, email: ADMIN_EMAIL }),
      await w.panelAccess.changeAccess({
        actor: w.admin,
        panelId: w.panelId,
        email: ADMIN_EMAIL,
        role: "analyst",
      }),
      await w.panelAccess.addMember({
        actor: { type: "system" },
        panelId: w.panelId,
        email: "new@example.com",
        role: "analyst",
        access,
      }),
      await w.panelAccess.reinviteMember({
        actor: w.admin,
        panelId: w.panelId,
        email: PERSON,
        role: "analyst",
        access,
      }),
    ];
    expect(refusals.map((r) => (r.isErr() ? r.error.type : "ok"))).toEqual([
      "LAST_ADMINISTRATOR",
      "LAST_ADMINISTRATOR",
      "FORBIDDEN",
      "ACCESS_STILL_LIVE",
    ]);
    expect(await trailOf(w)).toEqual(before);
  });

  it("AUD-2: a change and its events commit together: a unit of work that fails after writing its events keeps neither, and announces nothing", async () => {
    const memory = new MemoryStore();
    let crash = false;
    /** Writes the events, then fails (a crash before the commit) while `crash` is set. */
    const store: StoragePort = {
      transact: (scope, work) =>
        memory.transact(scope, (tx) =>
          work({
            ...tx,
            appendAuditEvents: async (records) => {
              await tx.appendAuditEvents(records);
              if (crash) throw new Error("crashed before the commit");
            },
          }),
        ),
    };
    const events = new EventRecorder();
    const mailer = new RecordingMailer();
    const panelAccess = createPanelAccess(
      { store, clock: new ManualClock(), mailer, events },
      {
        appUrl: "https://app.example.test",
        argon2: TEST_ARGON2,
        allowWeakHashing: true,
        twoFactor: testTwoFactorOptions(),
      },
    );
    const created = (
      await panelAccess.createPanel({
        actor: OPERATOR,
        name: "Acme",
        administratorEmail: ADMIN_EMAIL,
      })
    )._unsafeUnwrap();
    await panelAccess.settled();
    const before = memory.snapshot();
    const published = events.events.length;
    crash = true;
    const refused = await panelAccess.createPanel({
      actor: OPERATOR,
      name: "Globex",
      administratorEmail: "boss@example.com",
    });
    expect(refused).toMatchObject(err({ type: "STORAGE_FAILED" }));
    expect(memory.snapshot()).toEqual(before);
    expect(events.events).toHaveLength(published);
    expect(mailer.to("boss@example.com")).toEqual([]);
    crash = false;
    const trail = await everyPage(panelAccess.listAllActivity, { actor: OPERATOR });
    expect(trail.map((e) => e.type).sort()).toEqual(
      ["account.created", "invitation.sent", "membership.granted", "panel.created"].sort(),
    );
    expect(trail.every((e) => !("panelId" in e) || e.panelId === created.panel.id)).toBe(true);
  });
});
