import { expect, it } from "vitest";
import type { StoragePort } from "../../ports/storage.js";
import { uniqueId } from "../../testing/records.js";
import { instancesOver } from "./instances.js";
import { panelWithAdministrator } from "./members.js";

/** MAIL-2: dispatchers racing on every instance send each queued message once. */
export function runMailRaces(
  stores: () => Promise<[StoragePort, ...StoragePort[]]>,
  parallel: number,
): void {
  it(`MAIL-2: ${parallel} dispatchers at once on every instance send each of 30 queued messages exactly once`, async () => {
    const world = instancesOver(await stores());
    const { panelId, admin } = await panelWithAdministrator(world);
    world.mailServer.down = true;
    const emails = Array.from({ length: 30 }, () => `${uniqueId("q").toLowerCase()}@example.com`);
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
    const failures = world.events.filter((event) => event.type === "mail.failed");
    expect(failures).toHaveLength(30);
    world.mailServer.down = false;
    world.advance(60); // the first retry is due a minute later
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
}
