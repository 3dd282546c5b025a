import { DateTime } from "luxon";
import { expect, it } from "vitest";
import type { Actor } from "../domain/actor.js";
import type { DomainEvent } from "../domain/events.js";
import type { MailIntent } from "../domain/mail.js";
import { createPanelAccess } from "../panel-access.js";
import type { StoragePort } from "../ports/storage.js";
import { uniqueId } from "./records.js";

const PASSWORD = "contract password";

/** Two library instances over one database, as two application servers would be. */
function twoInstances(store: StoragePort, peer: StoragePort) {
  const now = DateTime.fromISO("2026-02-02T10:00:00.000Z", { zone: "utc" });
  const mail: MailIntent[] = [];
  const events: DomainEvent[] = [];
  const ports = {
    clock: { now: () => now },
    mailer: { send: async (m: MailIntent) => void mail.push(m) },
    events: { publish: (e: DomainEvent) => void events.push(e) },
  };
  // Real argon2id at a cost fit for a test about races rather than hashing.
  const options = { appUrl: "https://app.example.test", argon2: { memoryCost: 1024, timeCost: 1 } };
  const here = createPanelAccess({ store, ...ports }, options);
  const there = createPanelAccess({ store: peer, ...ports }, options);
  /** Alternates callers between the two instances. */
  const instance = (i: number) => (i % 2 ? there : here);
  const tokenFor = (email: string) =>
    mail
      .filter((m) => m.kind === "invitation" && m.to === email)
      .map((m) =>
        m.kind === "invitation" ? (new URL(m.link).searchParams.get("token") ?? "") : "",
      );
  return { instance, mail, events, tokenFor };
}

/** A panel whose administrator has registered, and the administrator as actor. */
async function panelWithAdministrator(world: ReturnType<typeof twoInstances>) {
  const first = world.instance(0);
  const adminEmail = `${uniqueId("admin").toLowerCase()}@example.com`;
  const created = (
    await first.createPanel({
      actor: { type: "system" },
      name: "Race panel",
      administratorEmail: adminEmail,
    })
  )._unsafeUnwrap();
  const token = world.tokenFor(adminEmail).at(-1) ?? "";
  (await first.register({ token, password: PASSWORD }))._unsafeUnwrap();
  const admin: Actor = { type: "account", accountId: created.administrator.accountId };
  return { panelId: created.panel.id, admin };
}

/** Use cases raced through the store: what the port's guarantees buy. */
export function runUseCaseRaces(
  stores: () => Promise<[StoragePort, StoragePort]>,
  parallel: number,
): void {
  it(`ACC-8: one invitation link submitted ${parallel} times at once registers the account exactly once`, async () => {
    const world = twoInstances(...(await stores()));
    const { panelId, admin } = await panelWithAdministrator(world);
    const email = `${uniqueId("p").toLowerCase()}@example.com`;
    const access = { type: "permanent" } as const;
    (
      await world.instance(0).addMember({ actor: admin, panelId, email, role: "analyst", access })
    )._unsafeUnwrap();
    const token = world.tokenFor(email).at(-1) ?? "";
    const results = await Promise.all(
      Array.from({ length: parallel }, (_, i) =>
        world.instance(i).register({ token, password: PASSWORD }),
      ),
    );
    expect(results.filter((r) => r.isOk())).toHaveLength(1);
    const refusals = new Set(results.flatMap((r) => (r.isErr() ? [r.error.type] : [])));
    expect([...refusals]).toEqual(["INVITATION_USED"]);
    const registered = world.events.filter(
      (e) => e.type === "account.registered" && e.accountId !== admin.accountId,
    );
    expect(registered).toHaveLength(1);
  });

  it("ACC-4: 20 resends at once leave exactly one working link, the latest", async () => {
    const world = twoInstances(...(await stores()));
    const { panelId, admin } = await panelWithAdministrator(world);
    const email = `${uniqueId("p").toLowerCase()}@example.com`;
    const access = { type: "permanent" } as const;
    (
      await world.instance(0).addMember({ actor: admin, panelId, email, role: "analyst", access })
    )._unsafeUnwrap();
    const resends = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        world.instance(i).resendInvitation({ actor: admin, panelId, email }),
      ),
    );
    expect(resends.every((r) => r.isOk())).toBe(true);
    const tokens = world.tokenFor(email);
    expect(tokens).toHaveLength(21);
    const states = await Promise.all(
      tokens.map((token) => world.instance(0).inspectInvitation({ token })),
    );
    expect(states.filter((s) => s.isOk())).toHaveLength(1);
    expect(
      states.filter((s) => s.isErr() && s.error.type === "INVITATION_SUPERSEDED"),
    ).toHaveLength(20);
  });

  it("ACC-1: 20 additions of one new e-mail at once create exactly one account", async () => {
    const world = twoInstances(...(await stores()));
    const { panelId, admin } = await panelWithAdministrator(world);
    const email = `${uniqueId("p").toLowerCase()}@example.com`;
    const access = { type: "permanent" } as const;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        world.instance(i).addMember({ actor: admin, panelId, email, role: "analyst", access }),
      ),
    );
    expect(results.every((r) => r.isOk())).toBe(true);
    expect(new Set(results.map((r) => r._unsafeUnwrap().accountId)).size).toBe(1);
    const created = world.events.filter((e) => e.type === "account.created");
    expect(
      created.filter((e) => e.type === "account.created" && e.accountId !== admin.accountId),
    ).toHaveLength(1);
  });
}
