import { createHash } from "node:crypto";
import {
  combinePasswordScreens,
  createArgon2idHasher,
  createOfflinePasswordScreen,
  type PasswordScreen,
  type PasswordScreenContext,
} from "@panel-access/core";
import { TEST_ARGON2, testTwoFactorOptions } from "@panel-access/testkit";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { openSession } from "../../support/sessions.js";
import {
  ADMIN_PASSWORD,
  PASSWORD,
  resetTokenOf,
  type World,
  worldWithPanel,
} from "../../support/world.js";

const PERSON = "jane.doe@brightwater.test";
const STRONG = "tangerine lighthouse under snow";

/** Everything a refusal must leave as it was: the records, the mail and the events. */
function stateOf(w: World) {
  return { store: w.store.snapshot(), mail: w.mailer.sent.length, events: w.events.events.length };
}

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
  it("PWD-6: registration refuses common passwords and their trivial variants as `common`; nothing changes and the link still works", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    for (const password of ["password", "12345678", "Password1!", "P@ssw0rd", "QWERTY123456"]) {
      const before = stateOf(w);
      expect(await w.panelAccess.register({ token: token ?? "", password }), password).toEqual(
        err({ type: "PASSWORD_TOO_COMMON", reason: "common" }),
      );
      expect(stateOf(w), password).toEqual(before);
    }
    (await w.panelAccess.register({ token: token ?? "", password: STRONG }))._unsafeUnwrap();
    const step = (await w.panelAccess.login({ email: PERSON, password: STRONG }))._unsafeUnwrap();
    expect(step.next).toBe("secondFactorSetup");
  });

  it("PWD-6: a password built from the person's own e-mail (local part, domain) or the product's name is refused as `contextual`", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    const built = [
      "jane.doe", // the local part
      "JaneDoe2024!", // the local part, in other case, with a year and a symbol
      "doe-jane-1987",
      "brightwater", // the domain name
      "Brightwater.test",
      "jane.doe@brightwater.test", // the whole e-mail
      "Panel Access", // the product's name (`twoFactor.issuer`)
      "p4n3l4cc3ss!",
    ];
    for (const password of built) {
      const before = stateOf(w);
      expect(await w.panelAccess.register({ token: token ?? "", password }), password).toEqual(
        err({ type: "PASSWORD_TOO_COMMON", reason: "contextual" }),
      );
      expect(stateOf(w), password).toEqual(before);
    }
    // The words may appear in a password that has more to it.
    (
      await w.panelAccess.register({ token: token ?? "", password: "jane rows across brightwater" })
    )._unsafeUnwrap();
  });

  it("PWD-6: the product's name is `twoFactor.issuer`; the default screen takes more context words", async () => {
    const w = await worldWithPanel({
      twoFactor: { ...testTwoFactorOptions(), issuer: "Orbital Desk" },
      passwordScreen: createOfflinePasswordScreen({ contextWords: ["Brightline Holdings"] }),
    });
    const { token } = await w.invite(PERSON);
    for (const password of ["OrbitalDesk1", "orbital desk 2026", "brightline holdings"]) {
      expect(await w.panelAccess.register({ token: token ?? "", password }), password).toEqual(
        err({ type: "PASSWORD_TOO_COMMON", reason: "contextual" }),
      );
    }
    // "Panel Access" is no longer the product's name here.
    (
      await w.panelAccess.register({ token: token ?? "", password: "PanelAccess!" })
    )._unsafeUnwrap();
  });

  it("PWD-6: one short run repeated is refused as `repetitive`", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    for (const password of [
      "aaaaaaaa",
      "abcabcabc",
      "12121212",
      "xyzwxyzwxyzw",
      "😀😀😀😀😀😀😀😀",
    ]) {
      expect(await w.panelAccess.register({ token: token ?? "", password }), password).toEqual(
        err({ type: "PASSWORD_TOO_COMMON", reason: "repetitive" }),
      );
    }
  });

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

  it("PWD-6: a product name or context word of several words is screened word by word; invisible format characters do not hide a word", async () => {
    const screen = createOfflinePasswordScreen({ contextWords: ["Acme Holdings"] });
    const context = { email: "person@example.com", productName: "Panel Access" };
    for (const password of ["Panel-Access-2026", "Holdings2024!", "pass\u00adword1"]) {
      const v = await screen.screen(password, context);
      expect(v.accepted, password).toBe(false);
    }
    expect((await screen.screen("violet harbour lantern", context)).accepted).toBe(true);
  });

  it("PWD-6: the default screen catches case, spaces, affixes and leetspeak, and accepts passphrases", async () => {
    const screen = createOfflinePasswordScreen();
    const context = { email: "person@example.com", productName: "Panel Access" };
    const verdict = async (password: string) => {
      const v = await screen.screen(password, context);
      return v.accepted ? "accepted" : v.reason;
    };
    for (const password of [
      "PASSWORD",
      "pass word",
      "password 123456",
      "!!password",
      "dr@g0n2024",
      "5unsh1ne!",
      "Summer2024!",
      "iloveyou",
    ]) {
      expect(await verdict(password), password).toBe("common");
    }
    for (const password of [
      PASSWORD,
      ADMIN_PASSWORD,
      STRONG,
      "tree8472916305", // a word, then more digits than a trivial suffix
      "83920174",
      "x7Kq9person",
    ]) {
      expect(await verdict(password), password).toBe("accepted");
    }
  });
});

/**
 * A corpus of breached passwords held as the Pwned Passwords range API holds
 * them: SHA-1 in upper-case hex, grouped by its first 5 characters. `range`
 * answers every suffix (35 characters) under a prefix, and records what it
 * was asked: a host's screen sends it nothing but the prefix.
 */
function fakeBreachCorpus(breached: readonly string[]) {
  const byPrefix = new Map<string, string[]>();
  const add = (hash: string) => {
    const list = byPrefix.get(hash.slice(0, 5)) ?? [];
    list.push(`${hash.slice(5)}:${1 + list.length}`);
    byPrefix.set(hash.slice(0, 5), list);
  };
  for (const password of breached) {
    const hash = sha1(password);
    add(hash);
    // Other hashes under the same prefix, as a real range holds hundreds.
    for (let i = 0; i < 20; i++) add(`${hash.slice(0, 5)}${sha1(`${password}/${i}`).slice(5)}`);
  }
  const queries: string[] = [];
  return {
    queries,
    /** What `GET /range/{prefix}` would answer: `SUFFIX:COUNT` lines. */
    range: async (prefix: string): Promise<string> => {
      queries.push(prefix);
      return (byPrefix.get(prefix) ?? []).join("\r\n");
    },
  };
}

function sha1(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex").toUpperCase();
}

/**
 * PWD-6: the k-anonymity screen of docs/passwords.md: only the first 5 hex
 * characters of the password's SHA-1 leave the process; the suffixes that
 * come back are compared here.
 */
function breachCorpusScreen(range: (prefix: string) => Promise<string>): PasswordScreen {
  return {
    screen: async (password) => {
      const hash = sha1(password);
      const suffix = hash.slice(5);
      const lines = (await range(hash.slice(0, 5))).split(/\r?\n/);
      const found = lines.some((line) => line.split(":")[0]?.trim().toUpperCase() === suffix);
      return found ? { accepted: false, reason: "breached" } : { accepted: true };
    },
  };
}

describe("a breach corpus queried by hash prefix (PWD-6)", () => {
  const BREACHED = "purple monkey dishwasher";

  it("PWD-6: a host's screen added to the default refuses a breached password as `breached`, sending only the 5-character prefix", async () => {
    const corpus = fakeBreachCorpus([BREACHED, "another leaked passphrase"]);
    const w = await worldWithPanel({
      passwordScreen: combinePasswordScreens(
        createOfflinePasswordScreen(),
        breachCorpusScreen(corpus.range),
      ),
    });
    corpus.queries.length = 0; // the administrator's registration
    const { token } = await w.invite(PERSON);
    // The offline list does not know it; the corpus does.
    expect(
      await createOfflinePasswordScreen().screen(BREACHED, {
        email: PERSON,
        productName: "Panel Access",
      }),
    ).toEqual({ accepted: true });
    const before = stateOf(w);
    expect(await w.panelAccess.register({ token: token ?? "", password: BREACHED })).toEqual(
      err({ type: "PASSWORD_TOO_COMMON", reason: "breached" }),
    );
    expect(stateOf(w)).toEqual(before);
    expect(corpus.queries).toEqual([sha1(BREACHED).slice(0, 5)]);

    // The default screen answers first: a common password never reaches the corpus.
    expect(await w.panelAccess.register({ token: token ?? "", password: "Password1!" })).toEqual(
      err({ type: "PASSWORD_TOO_COMMON", reason: "common" }),
    );
    expect(corpus.queries).toHaveLength(1);

    (await w.panelAccess.register({ token: token ?? "", password: STRONG }))._unsafeUnwrap();
    // Every query was a bare 5-hex-digit prefix: never a password, never a whole hash.
    expect(corpus.queries).toEqual([sha1(BREACHED).slice(0, 5), sha1(STRONG).slice(0, 5)]);
    for (const query of corpus.queries) expect(query).toMatch(/^[0-9A-F]{5}$/);
  });

  it("PWD-6: a breached password is refused at reset too", async () => {
    const corpus = fakeBreachCorpus([BREACHED]);
    const w = await worldWithPanel({
      passwordScreen: combinePasswordScreens(
        createOfflinePasswordScreen(),
        breachCorpusScreen(corpus.range),
      ),
    });
    await w.member(PERSON);
    const token = await resetLink(w);
    expect(await w.panelAccess.resetPassword({ token, password: BREACHED })).toEqual(
      err({ type: "PASSWORD_TOO_COMMON", reason: "breached" }),
    );
    (await w.panelAccess.resetPassword({ token, password: STRONG }))._unsafeUnwrap();
  });
});
