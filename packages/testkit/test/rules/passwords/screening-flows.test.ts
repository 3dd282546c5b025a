import {
  createArgon2idHasher,
  createOfflinePasswordScreen,
  type PasswordScreen,
  type PasswordScreenContext,
} from "@panel-access/core";
import { TEST_ARGON2 } from "@panel-access/testkit";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { openSession } from "../../support/sessions.js";
import {
  PASSWORD,
  resetTokenOf,
  stateOf,
  type World,
  worldWithPanel,
} from "../../support/world.js";

const PERSON = "jane.doe@brightwater.test";
const STRONG = "tangerine lighthouse under snow";

/** A screen that records what it was asked about, then asks `inner`. */
function recording(inner: PasswordScreen = createOfflinePasswordScreen()) {
  const asked: PasswordScreenContext[] = [];
  const screen: PasswordScreen = {
    screen: (password, context) => {
      asked.push(context);
      return inner.screen(password, context);
    },
  };
  return { asked, screen };
}

/** Resets the password of a registered `email` through a fresh reset link; answers the link. */
async function resetLink(w: World, email = PERSON) {
  await w.panelAccess.forgotPassword({ email });
  await w.panelAccess.settled();
  return resetTokenOf(w, email);
}

describe("password screening (PWD-6)", () => {
  it("PWD-6: a reset refuses a common password without touching the account: old password, sessions and the link still work", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const { sessionToken } = await openSession(w, PERSON);
    const token = await resetLink(w);
    const before = stateOf(w);
    expect(await w.panelAccess.resetPassword({ token, password: "Password1!" })).toEqual(
      err({ type: "PASSWORD_TOO_COMMON", reason: "common" }),
    );
    expect(await w.panelAccess.resetPassword({ token, password: "brightwater2024" })).toEqual(
      err({ type: "PASSWORD_TOO_COMMON", reason: "contextual" }),
    );
    expect(stateOf(w)).toEqual(before);
    expect((await w.panelAccess.validateSession({ sessionToken })).isOk()).toBe(true);
    expect((await w.panelAccess.login({ email: PERSON, password: PASSWORD })).isOk()).toBe(true);
    // The same link then takes a good password.
    (await w.panelAccess.resetPassword({ token, password: STRONG }))._unsafeUnwrap();
    expect((await w.panelAccess.login({ email: PERSON, password: STRONG })).isOk()).toBe(true);
  });

  it("PWD-6: the screen is asked only with a working link, with the account's e-mail and the product's name, never the link's secret", async () => {
    const { asked, screen } = recording();
    const w = await worldWithPanel({ passwordScreen: screen });
    asked.length = 0; // the administrator's registration
    const { token } = await w.invite(PERSON);
    // A forged link: refused before any screening.
    const forged = `${"A".repeat(22)}.${"B".repeat(43)}`;
    expect((await w.panelAccess.register({ token: forged, password: "Password1!" })).isErr()).toBe(
      true,
    );
    expect(asked).toEqual([]);
    await w.panelAccess.register({ token: token ?? "", password: STRONG });
    expect(asked).toEqual([{ email: PERSON, productName: "Panel Access" }]);
  });

  it("PWD-6: login never screens: a weak password set before screening still logs in", async () => {
    const { asked, screen } = recording();
    const w = await worldWithPanel({ passwordScreen: screen });
    await w.member(PERSON);
    // A password chosen before PWD-6, written into the store as an older version would have.
    const weak = await createArgon2idHasher(TEST_ARGON2).hash("password");
    await w.store.transact({ accounts: [PERSON] }, async (tx) => {
      const account = await tx.findAccountByEmail(PERSON);
      if (account) await tx.updateAccount({ ...account, passwordHash: weak });
    });
    asked.length = 0;
    const step = (
      await w.panelAccess.login({ email: PERSON, password: "password" })
    )._unsafeUnwrap();
    expect(step.next).toBe("secondFactorSetup");
    // Nor does entering the password again for new backup codes.
    const { sessionToken } = await openSession(w, PERSON, "password");
    await w.panelAccess.regenerateBackupCodes({ sessionToken, password: "password" });
    await w.panelAccess.settled();
    expect(asked).toEqual([]);
  });

  it("PWD-6: a screen that fails refuses with PASSWORD_SCREEN_UNAVAILABLE (fail closed); nothing changes and the link still works", async () => {
    let failure: "reject" | "throw" | "nonsense" | null = null;
    const flaky: PasswordScreen = {
      screen: (password, context) => {
        if (failure === "throw") throw new Error("screen down");
        if (failure === "reject") return Promise.reject(new Error("corpus unreachable"));
        if (failure === "nonsense") return Promise.resolve({} as never);
        return createOfflinePasswordScreen().screen(password, context);
      },
    };
    const w = await worldWithPanel({ passwordScreen: flaky });
    const { token } = await w.invite(PERSON);
    for (const mode of ["reject", "throw", "nonsense"] as const) {
      failure = mode;
      const before = stateOf(w);
      const result = await w.panelAccess.register({ token: token ?? "", password: STRONG });
      expect(result.isErr() && result.error.type, mode).toBe("PASSWORD_SCREEN_UNAVAILABLE");
      expect(stateOf(w), mode).toEqual(before);
    }
    failure = null;
    (await w.panelAccess.register({ token: token ?? "", password: STRONG }))._unsafeUnwrap();
  });

  it("PWD-6: a screen that does not answer within passwordScreenTimeout refuses the password as PASSWORD_SCREEN_UNAVAILABLE; nothing changes", async () => {
    const w = await worldWithPanel({
      // Hangs for one person only (the world's administrator registers through it first).
      passwordScreen: {
        screen: (_, { email }) =>
          email === "slow@example.com"
            ? new Promise(() => {})
            : Promise.resolve({ accepted: true }),
      },
      passwordScreenTimeout: { milliseconds: 20 },
    });
    const { token } = await w.invite("slow@example.com");
    const result = await w.panelAccess.register({ token: token ?? "", password: STRONG });
    expect(result.isErr() && result.error.type).toBe("PASSWORD_SCREEN_UNAVAILABLE");
    expect((await w.panelAccess.inspectInvitation({ token: token ?? "" })).isOk()).toBe(true);
  });
});
