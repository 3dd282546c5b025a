import { expect, it } from "vitest";
import type { StoragePort } from "../../ports/storage.js";
import { uniqueId } from "../../testing/records.js";
import { instancesOver } from "./instances.js";
import { invitedMember, PASSWORD, panelWithAdministrator } from "./members.js";

/** ACC-8, ACC-4, ACC-1: one registration per link, one live link after resends, one account per e-mail. */
export function runInvitationRaces(
  stores: () => Promise<[StoragePort, ...StoragePort[]]>,
  parallel: number,
): void {
  it(`ACC-8: one invitation link submitted ${parallel} times at once registers the account exactly once`, async () => {
    const world = instancesOver(await stores());
    const { admin, email } = await invitedMember(world);
    const token = world.tokenFor(email).at(-1) ?? "";
    const results = await Promise.all(
      Array.from({ length: parallel }, (_, caller) =>
        world.instance(caller).register({ token, password: PASSWORD }),
      ),
    );
    expect(results.filter((result) => result.isOk())).toHaveLength(1);
    const refusals = new Set(
      results.flatMap((result) => (result.isErr() ? [result.error.type] : [])),
    );
    expect([...refusals]).toEqual(["INVITATION_USED"]);
    const registered = world.events.filter(
      (event) => event.type === "account.registered" && event.accountId !== admin.accountId,
    );
    expect(registered).toHaveLength(1);
  });

  it("ACC-4: 20 resends at once leave exactly one working link, the latest", async () => {
    const world = instancesOver(await stores());
    const { panelId, admin, email } = await invitedMember(world);
    const resends = await Promise.all(
      Array.from({ length: 20 }, (_, caller) =>
        world.instance(caller).resendInvitation({ actor: admin, panelId, email }),
      ),
    );
    expect(resends.every((resend) => resend.isOk())).toBe(true);
    const tokens = world.tokenFor(email);
    expect(tokens).toHaveLength(21);
    const states = await Promise.all(
      tokens.map((token) => world.instance(0).inspectInvitation({ token })),
    );
    expect(states.filter((state) => state.isOk())).toHaveLength(1);
    expect(
      states.filter((state) => state.isErr() && state.error.type === "INVITATION_SUPERSEDED"),
    ).toHaveLength(20);
  });

  it("ACC-1: 20 additions of one new e-mail at once create exactly one account", async () => {
    const world = instancesOver(await stores());
    const { panelId, admin } = await panelWithAdministrator(world);
    const email = `${uniqueId("p").toLowerCase()}@example.com`;
    const access = { type: "permanent" } as const;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, caller) =>
        world.instance(caller).addMember({ actor: admin, panelId, email, role: "analyst", access }),
      ),
    );
    expect(results.every((result) => result.isOk())).toBe(true);
    expect(new Set(results.map((result) => result._unsafeUnwrap().accountId)).size).toBe(1);
    const created = world.events.filter((event) => event.type === "account.created");
    expect(
      created.filter(
        (event) => event.type === "account.created" && event.accountId !== admin.accountId,
      ),
    ).toHaveLength(1);
  });
}
