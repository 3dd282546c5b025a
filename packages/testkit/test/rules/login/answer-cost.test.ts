import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import {
  countingHasher,
  failLogins,
  PASSWORD,
  type World,
  worldWithPanel,
} from "../../support/world.js";

const PERSON = "person@example.com";
const WRONG = "not the password";

/** Wrong passwords for `email` (the person by default), counts written. */
const failTimes = (w: World, times: number, email = PERSON) => failLogins(w, email, times);

describe("password step and lockout", () => {
  it("LCK-8: every login answer costs one full hash check with the same parameters, and fails alike", async () => {
    const counting = countingHasher();
    const w = await worldWithPanel({ passwordHasher: counting.hasher });
    await w.member(PERSON);
    await w.invite("unregistered@example.com");
    await w.member("expired@example.com");
    await w.panelAccess.removeMember({
      actor: w.admin,
      panelId: w.panelId,
      email: "expired@example.com",
    });
    await w.member("locked@example.com");
    await failTimes(w, 6, "locked@example.com");
    const cases = [
      ["unknownAccount", "nobody@example.com", PASSWORD],
      ["unregistered", "unregistered@example.com", PASSWORD],
      ["expired", "expired@example.com", PASSWORD],
      ["locked", "locked@example.com", PASSWORD],
      ["wrongPassword", PERSON, WRONG],
    ] as const;
    for (const [reason, email, password] of cases) {
      counting.verified.length = 0;
      expect(await w.panelAccess.login({ email, password }), reason).toEqual(
        err({ type: "LOGIN_FAILED" }),
      );
      // The answer comes before the failure is recorded (LCK-8 v2); its event after the commit.
      await w.panelAccess.settled();
      expect(counting.verified, reason).toHaveLength(1);
      expect(counting.verified[0]?.split("$").slice(0, 4), reason).toEqual([
        "",
        "argon2id",
        "v=19",
        "m=1024,t=1,p=1",
      ]);
      expect(w.events.ofType("login.failed").at(-1)?.reason).toBe(reason);
    }
  });

  it("LCK-8, PWD-1: a password over 256 code points is refused before any hashing", async () => {
    const counting = countingHasher();
    const w = await worldWithPanel({ passwordHasher: counting.hasher });
    await w.member(PERSON);
    counting.verified.length = 0;
    const result = await w.panelAccess.login({ email: PERSON, password: "x".repeat(257) });
    expect(result._unsafeUnwrapErr().type).toBe("INVALID_INPUT");
    expect(counting.verified).toHaveLength(0);
  });
});
