/**
 * How to test an app that embeds panel-access, with @panel-access/testkit.
 * Copy this file next to your own code and keep what you need.
 */
import { MemoryStore } from "@panel-access/adapter-memory";
import {
  accessTerms,
  checkAgainstModel,
  createInMemoryPanelAccess,
  emails,
  scan,
} from "@panel-access/testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inviteColleague } from "../src/onboarding.js";
import { TracedStore } from "../src/traced-store.js";

/** A panel whose administrator has registered: what most tests start from. */
async function panelWithAdministrator() {
  const setup = createInMemoryPanelAccess(); // manual clock, captured mail, cheap argon2id
  const { panelAccess, mailer } = setup;
  const created = (
    await panelAccess.createPanel({
      actor: { type: "system" },
      name: "Acme",
      administratorEmail: "admin@acme.test",
    })
  )._unsafeUnwrap();
  const link = mailer.last("admin@acme.test", "invitation")?.link ?? "";
  const token = new URL(link).searchParams.get("token") ?? "";
  (await panelAccess.register({ token, password: "administrator password" }))._unsafeUnwrap();
  const admin = { type: "account", accountId: created.administrator.accountId } as const;
  return { ...setup, admin, panelId: created.panel.id };
}

describe("my app's invite form", () => {
  it("ACC-1, ACC-3: inviting someone for 3 days sends a link that expires with the access", async () => {
    const w = await panelWithAdministrator();
    const message = await inviteColleague(w.panelAccess, {
      actor: w.admin,
      panelId: w.panelId,
      email: "carol@acme.test",
      days: 3,
      now: w.clock.now().toJSDate(),
    });
    expect(message).toMatch(/^Invitation sent/);
    const mail = w.mailer.last("carol@acme.test", "invitation");
    expect(mail?.expiresAt.toMillis()).toBe(w.clock.now().plus({ days: 3 }).toMillis());
  });

  it("ACC-5: the form answers in words when someone who is not an administrator uses it", async () => {
    const w = await panelWithAdministrator();
    const message = await inviteColleague(w.panelAccess, {
      actor: { type: "account", accountId: "somebody" },
      panelId: w.panelId,
      email: "carol@acme.test",
      days: 3,
      now: w.clock.now().toJSDate(),
    });
    expect(message).toBe("Only administrators can invite people.");
  });

  it("INP-1: for any e-mail and access term, the form answers a sentence and never throws", async () => {
    const w = await panelWithAdministrator();
    await fc.assert(
      fc.asyncProperty(emails(), accessTerms(w.clock.now()), async (email, access) => {
        const days = access.type === "permanent" ? 30 : 1;
        const message = await inviteColleague(w.panelAccess, {
          actor: w.admin,
          panelId: w.panelId,
          email,
          days,
          now: w.clock.now().toJSDate(),
        });
        expect(message.length).toBeGreaterThan(5);
      }),
      { numRuns: 50 },
    );
  });
});

describe("a first login with two-factor set-up, as a phone would do it", () => {
  it("TFA-1, TFA-2: the scripted authenticator reads the setup URI and types the current code", async () => {
    const w = await panelWithAdministrator();
    const step = (
      await w.panelAccess.login({ email: "admin@acme.test", password: "administrator password" })
    )._unsafeUnwrap();
    if (step.next !== "secondFactorSetup") throw new Error(`expected a setup, got ${step.next}`);
    const phone = scan(step.setup.uri, w.clock);
    const done = await w.panelAccess.completeTwoFactorSetup({
      challenge: step.challenge,
      code: phone.code(),
    });
    expect(done._unsafeUnwrap().backupCodes).toHaveLength(10);
  });
});

describe("my storage adapter keeps every rule", () => {
  it("ACC, PNL, LCK, PWD, TFA, SES: 200 random histories on the traced store agree with the reference model", async () => {
    const stores: TracedStore[] = [];
    const report = await checkAgainstModel({
      createStore: () => {
        const store = new TracedStore(new MemoryStore());
        stores.push(store);
        return store;
      },
      histories: 200,
    });
    expect(report.histories).toBe(200);
    expect(stores.reduce((n, s) => n + s.trace.locked, 0)).toBeGreaterThan(0);
  }, 120_000);
});
