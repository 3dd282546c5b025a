import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { PASSWORD, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";

describe("invitations and registration", () => {
  it("ACC-6: registering through a working link sets the password and makes the account active", async () => {
    const w = await worldWithPanel();
    const { token, grant } = await w.invite(PERSON);
    const registered = await w.panelAccess.register({ token: token ?? "", password: PASSWORD });
    expect(registered._unsafeUnwrap()).toEqual({ accountId: grant.accountId, email: PERSON });
    const members = (
      await w.panelAccess.listMembers({ actor: w.admin, panelId: w.panelId })
    )._unsafeUnwrap();
    expect(members.find((m) => m.email === PERSON)?.status).toBe("active");
    const panels = (
      await w.panelAccess.getLivePanels({ accountId: grant.accountId })
    )._unsafeUnwrap();
    expect(panels.map((p) => p.panel.id)).toEqual([w.panelId]);
  });

  it("ACC-6, PWD-1: the password is stored as an argon2id hash, never as given", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    (await w.panelAccess.register({ token: token ?? "", password: PASSWORD }))._unsafeUnwrap();
    const stored = JSON.stringify(w.store.snapshot());
    expect(stored).not.toContain(PASSWORD);
    expect(stored).toMatch(/\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
  });

  it("ACC-6: a used link, an unknown link and a forged secret change nothing and say which", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    const valid = token ?? "";
    (await w.panelAccess.register({ token: valid, password: PASSWORD }))._unsafeUnwrap();
    const before = w.store.snapshot();
    expect(
      (
        await w.panelAccess.register({ token: valid, password: "another password" })
      )._unsafeUnwrapErr().type,
    ).toBe("INVITATION_USED");
    const forged = `${valid.split(".")[0]}.${"A".repeat(43)}`;
    expect(await w.panelAccess.register({ token: forged, password: PASSWORD })).toEqual(
      err({ type: "INVITATION_UNKNOWN" }),
    );
    const unknown = `${"B".repeat(22)}.${"C".repeat(43)}`;
    expect(await w.panelAccess.inspectInvitation({ token: unknown })).toEqual(
      err({ type: "INVITATION_UNKNOWN" }),
    );
    expect(w.store.snapshot()).toEqual(before);
  });

  it("ACC-6: an expired link leaves the account unregistered and the password unset", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    w.clock.advance({ days: 8 });
    const before = w.store.snapshot();
    expect((await w.panelAccess.register({ token: token ?? "", password: PASSWORD })).isErr()).toBe(
      true,
    );
    expect(w.store.snapshot()).toEqual(before);
  });
});
