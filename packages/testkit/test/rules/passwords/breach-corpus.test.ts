import { createHash } from "node:crypto";
import {
  combinePasswordScreens,
  createOfflinePasswordScreen,
  type PasswordScreen,
} from "@panel-access/core";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { resetTokenOf, stateOf, type World, worldWithPanel } from "../../support/world.js";

const PERSON = "jane.doe@brightwater.test";
const STRONG = "tangerine lighthouse under snow";

/** Resets the password of a registered `email` through a fresh reset link; answers the link. */
async function resetLink(w: World, email = PERSON) {
  await w.panelAccess.forgotPassword({ email });
  await w.panelAccess.settled();
  return resetTokenOf(w, email);
}

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
