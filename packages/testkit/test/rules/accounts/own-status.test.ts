import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import {
  expectNoSecrets,
  OPERATOR,
  PERSON,
  withEndedMembership,
} from "../../support/account-status.js";
import { openSession } from "../../support/sessions.js";
import {
  ADMIN_EMAIL,
  failLogins,
  stateOf,
  type World,
  worldWithPanel,
} from "../../support/world.js";

/** Wrong passwords for `email` (the person by default), counts written. */
const failTimes = (w: World, times: number, email = PERSON) => failLogins(w, email, times);

describe("getAccountStatus", () => {
  it("SES-1: a person reads their own status through a session; another's e-mail cannot be asked", async () => {
    const w = await worldWithPanel();
    const { globex, endsAt } = await withEndedMembership(w);
    await failTimes(w, 2);
    const { sessionToken } = await openSession(w, PERSON);
    await failTimes(w, 1); // after the login: support sees it, the person does not
    w.clock.advance({ minutes: 1 }); // a touch would now move the session's last use
    const before = stateOf(w);

    const own = (await w.panelAccess.getAccountStatus({ sessionToken }))._unsafeUnwrap();
    expect(own).toEqual({
      accountId: expect.any(String),
      email: PERSON,
      status: "active",
      registeredAt: expect.anything(),
      twoFactor: "enrolled",
      memberships: [
        expect.objectContaining({ panelId: w.panelId, panelName: "Acme", live: true }),
        expect.objectContaining({
          panelId: globex,
          panelName: "Globex",
          access: { type: "temporary", endsAt },
          live: false,
        }),
      ],
    });
    for (const supportOnly of ["consecutiveFailures", "consecutiveLocks", "lockedAt", "blockedAt"])
      expect(own).not.toHaveProperty(supportOnly);
    expectNoSecrets(w, own, [sessionToken]);
    const support = (
      await w.panelAccess.getAccountStatus({ actor: OPERATOR, email: PERSON })
    )._unsafeUnwrap();
    expect(support.consecutiveFailures).toBe(1);
    expect(support.memberships).toEqual(own.memberships);

    // A session reads its own account only: naming another (or an actor) is bad input.
    for (const input of [
      { sessionToken, email: ADMIN_EMAIL },
      { sessionToken, actor: OPERATOR, email: ADMIN_EMAIL },
      { sessionToken, actor: OPERATOR },
    ]) {
      const refused = (
        await w.panelAccess.getAccountStatus(input as unknown as { sessionToken: string })
      )._unsafeUnwrapErr();
      expect(refused.type).toBe("INVALID_INPUT");
      const named = refused.type === "INVALID_INPUT" ? refused.issues.map((i) => i.path[0]) : [];
      expect(named.sort()).toEqual(
        Object.keys(input)
          .filter((key) => key !== "sessionToken")
          .sort(),
      );
    }
    // Reading changes nothing, not even the session's last use (its idle expiry).
    expect(stateOf(w)).toEqual(before);
  });

  it("TFA-9: an SSO session reads the same answer as a local one", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const sso = (
      await w.panelAccess.createPanel({
        actor: { type: "system" },
        name: "Initech",
        administratorEmail: ADMIN_EMAIL,
        settings: { ssoEnabled: true },
      })
    )._unsafeUnwrap().panel.id;
    (
      await w.panelAccess.addMember({
        actor: w.admin,
        panelId: sso,
        email: PERSON,
        role: "analyst",
        access: { type: "permanent" },
      })
    )._unsafeUnwrap();
    const viaSso = (
      await w.panelAccess.openSsoSession({ email: PERSON, panelId: sso })
    )._unsafeUnwrap();
    const local = await openSession(w, PERSON);
    const ssoView = (
      await w.panelAccess.getAccountStatus({ sessionToken: viaSso.sessionToken })
    )._unsafeUnwrap();
    const localView = (
      await w.panelAccess.getAccountStatus({ sessionToken: local.sessionToken })
    )._unsafeUnwrap();
    expect(ssoView).toEqual(localView);
    expect(ssoView.memberships.map((m) => m.panelName)).toEqual(["Acme", "Initech"]);
  });

  it("SES-1, SES-2: a session that does not work is SESSION_INVALID: unknown, logged out, idle, or its account locked", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const invalid = err({ type: "SESSION_INVALID" });
    expect(
      await w.panelAccess.getAccountStatus({ sessionToken: `${"A".repeat(22)}.${"B".repeat(43)}` }),
    ).toEqual(invalid);

    const loggedOut = await openSession(w, PERSON);
    (await w.panelAccess.logout({ sessionToken: loggedOut.sessionToken }))._unsafeUnwrap();
    expect(await w.panelAccess.getAccountStatus({ sessionToken: loggedOut.sessionToken })).toEqual(
      invalid,
    );

    const idle = await openSession(w, PERSON);
    w.clock.advance(w.panelAccess.options.sessions.idleTimeout);
    expect(await w.panelAccess.getAccountStatus({ sessionToken: idle.sessionToken })).toEqual(
      invalid,
    );

    const locked = await openSession(w, PERSON);
    await failTimes(w, 6);
    expect(await w.panelAccess.getAccountStatus({ sessionToken: locked.sessionToken })).toEqual(
      invalid,
    );
  });

  it("INP-1: bad input in either shape is INVALID_INPUT naming the field", async () => {
    const w = await worldWithPanel();
    const cases: [unknown, string][] = [
      [{ sessionToken: "not a token" }, "sessionToken"],
      [{ sessionToken: `${"A".repeat(22)}\u0000.${"B".repeat(42)}` }, "sessionToken"],
      [{ actor: OPERATOR, email: "no-at-sign" }, "email"],
      [{ actor: { type: "operator", operatorId: "a\u0000b" }, email: PERSON }, "actor"],
      [{}, "actor"],
    ];
    for (const [input, field] of cases) {
      const result = await w.panelAccess.getAccountStatus(input as { sessionToken: string });
      const error = result._unsafeUnwrapErr();
      expect(error.type, JSON.stringify(input)).toBe("INVALID_INPUT");
      expect(error.type === "INVALID_INPUT" && error.issues.map((i) => i.path[0])).toContain(field);
    }
  });
});
