import { expect, it } from "vitest";
import type { MailClaim } from "../../domain/outbox.js";
import type { StoragePort } from "../../ports/storage.js";
import type { ShutdownReport } from "../../runtime/shutdown.js";
import { uniqueId } from "../../testing/records.js";
import { instancesOver, type RaceWorld } from "./instances.js";
import { panelWithAdministrator } from "./members.js";

/**
 * MAIL-2: dispatchers racing on every instance send each queued message
 * once, claiming ahead and settling in batches; MAIL-4: an instance that
 * shuts down mid-round gives back what it claimed ahead.
 */
export function runMailRaces(
  stores: () => Promise<[StoragePort, ...StoragePort[]]>,
  parallel: number,
): void {
  it(`MAIL-2: ${parallel} dispatchers at once on every instance send each of 30 queued messages exactly once`, async () => {
    const world = instancesOver(await stores());
    const emails = await queuedInvitations(world, 30);
    const failures = world.events.filter((event) => event.type === "mail.failed");
    expect(failures).toHaveLength(30);
    const sentBefore = world.mail.length;
    const reports = await Promise.all(
      Array.from({ length: parallel }, (_, caller) => world.instance(caller).dispatchMail()),
    );
    const sentNow = world.mail.slice(sentBefore);
    expect(sentNow.map((message) => message.to).sort()).toEqual([...emails].sort());
    expect(new Set(world.messageIds.slice(sentBefore)).size).toBe(30);
    expect(reports.reduce((sum, report) => sum + report._unsafeUnwrap().sent, 0)).toBe(30);
    const again = await world.instance(1).dispatchMail();
    expect(again._unsafeUnwrap()).toEqual({ sent: 0, retrying: 0, failed: 0 });
  });

  /** `count` members added on instance 0 while the mail server is down: their invitations wait in the outbox. */
  async function queuedInvitations(world: RaceWorld, count: number) {
    const { panelId, admin } = await panelWithAdministrator(world);
    world.mailServer.down = true;
    const emails = Array.from(
      { length: count },
      () => `${uniqueId("q").toLowerCase()}@example.com`,
    );
    for (const email of emails) {
      const added = await world.instance(0).addMember({
        actor: admin,
        panelId,
        email,
        role: "analyst",
        access: { type: "permanent" },
      });
      expect(added.isOk()).toBe(true);
    }
    world.mailServer.down = false;
    world.advance(60); // the first retry is due a minute later
    return emails;
  }

  it(`MAIL-2: ${parallel} dispatchers at once on every instance, each claiming several messages ahead and settling them in batches, send each of 60 queued messages exactly once and leave none claimed`, async () => {
    const world = instancesOver(await stores());
    const emails = await queuedInvitations(world, 60);
    const sentBefore = world.mail.length;
    const reports = await Promise.all(
      Array.from({ length: parallel }, (_, caller) => world.instance(caller).dispatchMail()),
    );
    expect(reports.reduce((sum, report) => sum + report._unsafeUnwrap().sent, 0)).toBe(60);
    // What a round claimed ahead and did not need was given back: the next round finds nothing.
    const again = await Promise.all([
      world.instance(0).dispatchMail(),
      world.instance(1).dispatchMail(),
    ]);
    expect(again.map((report) => report._unsafeUnwrap().sent)).toEqual([0, 0]);
    const sentNow = world.mail.slice(sentBefore);
    expect(sentNow.map((message) => message.to).sort()).toEqual([...emails].sort());
    expect(new Set(world.messageIds.slice(sentBefore)).size).toBe(60);
  });

  it(`MAIL-2, MAIL-4: an instance shut down right after a claim, while ${parallel} rounds run on every instance, gives back what it claimed and did not begin: without moving the clock, another instance sends the rest, each of 40 messages exactly once`, async () => {
    const all = await stores();
    const [first] = all;
    let world: RaceWorld | undefined;
    let armed = false;
    let shuttingDown: Promise<ShutdownReport> | undefined;
    // Instance 0's store: its first claim that takes messages, once armed,
    // shuts instance 0 down before the round sees what it claimed.
    const shutsDown: StoragePort = {
      transact: (scope, work) =>
        first.transact(scope, (tx) =>
          work(
            new Proxy(tx, {
              get(target, property, receiver) {
                if (property === "claimMail") {
                  return async (claim: MailClaim) => {
                    const claimed = await target.claimMail(claim);
                    if (armed && claimed.length > 0 && shuttingDown === undefined)
                      shuttingDown = world
                        ?.instance(0)
                        .shutdown({ timeout: Number.POSITIVE_INFINITY });
                    return claimed;
                  };
                }
                const value = Reflect.get(target, property, receiver);
                return typeof value === "function" ? value.bind(target) : value;
              },
            }),
          ),
        ),
    };
    // One more instance over the first store, never shut down: the other instance.
    world = instancesOver([shutsDown, ...all.slice(1), first]);
    const other = all.length;
    const emails = await queuedInvitations(world, 40);
    const sentBefore = world.mail.length;
    armed = true;
    const results = await Promise.all(
      Array.from({ length: parallel }, (_, caller) => world?.instance(caller).dispatchMail()),
    );
    expect(shuttingDown).toBeDefined();
    expect(await shuttingDown).toMatchObject({ settled: true, unfinished: 0 });
    let sent = 0;
    for (const result of results) sent += result?._unsafeUnwrap().sent ?? 0;
    for (let round = 0; round < 10 && sent < 40; round++)
      sent += (await world.instance(other).dispatchMail())._unsafeUnwrap().sent;
    expect(sent).toBe(40);
    expect(
      world.mail
        .slice(sentBefore)
        .map((message) => message.to)
        .sort(),
    ).toEqual([...emails].sort());
    expect(new Set(world.messageIds.slice(sentBefore)).size).toBe(40);
  });
}
