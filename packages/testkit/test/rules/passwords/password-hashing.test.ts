import { createArgon2idHasher, PanelAccessConfigError } from "@panel-access/core";
import { createInMemoryPanelAccess, TEST_ARGON2 } from "@panel-access/testkit";
import { describe, expect, it } from "vitest";
import { PASSWORD, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";
const STRONGER = { memoryCost: 2048, timeCost: 2, parallelism: 1 };

async function storedHash(w: Awaited<ReturnType<typeof worldWithPanel>>) {
  const account = await w.store.transact({}, (tx) => tx.findAccountByEmail(PERSON));
  return account?.passwordHash ?? "";
}

describe("password hashing", () => {
  it("PWD-7: a login with stronger configured parameters re-hashes the password in the same unit of work", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const old = await storedHash(w);
    expect(old).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    // The host raises the parameters: a new instance over the same store.
    const raised = createInMemoryPanelAccess({
      store: w.store,
      argon2: STRONGER,
      allowWeakHashing: true,
    });
    const step = await raised.panelAccess.login({ email: PERSON, password: PASSWORD });
    expect(step.isOk()).toBe(true);
    const upgraded = await storedHash(w);
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=2048,t=2,p=1\$/);
    expect(await createArgon2idHasher(STRONGER).verify(upgraded, PASSWORD)).toBe(true);
    // The same password still works, and a hash already as strong is left alone.
    expect((await raised.panelAccess.login({ email: PERSON, password: PASSWORD })).isOk()).toBe(
      true,
    );
    expect(await storedHash(w)).toBe(upgraded);
    // Weaker parameters never downgrade a stored hash.
    expect((await w.panelAccess.login({ email: PERSON, password: PASSWORD })).isOk()).toBe(true);
    expect(await storedHash(w)).toBe(upgraded);
  });

  it("PWD-7: a wrong password never re-hashes", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const old = await storedHash(w);
    const raised = createInMemoryPanelAccess({
      store: w.store,
      argon2: STRONGER,
      allowWeakHashing: true,
    });
    await raised.panelAccess.login({ email: PERSON, password: "not the password" });
    await raised.panelAccess.settled();
    expect(await storedHash(w)).toBe(old);
  });

  it("PWD-1 v2: NFKC-equivalent passwords are the same password; NUL and lone surrogates are refused before hashing", async () => {
    const w = await worldWithPanel();
    const { token } = await w.invite(PERSON);
    (
      await w.panelAccess.register({ token: token ?? "", password: "ｐａｓｓｗｏｒｄ　ﬁｎｅ２" })
    )._unsafeUnwrap();
    expect((await w.panelAccess.login({ email: PERSON, password: "password fine2" })).isOk()).toBe(
      true,
    );
    for (const password of [
      "\uD800abcdefgh",
      "\uDBFFabcdefgh",
      "abc\u0000defgh",
      "abcdefgh\uDC00",
    ]) {
      const refused = await w.panelAccess.login({ email: PERSON, password });
      expect(refused.isErr() && refused.error.type).toBe("INVALID_INPUT");
    }
  });

  it("PWD-1 v2, PWD-7: a password version 1 hashed in NFC still works once and is hashed anew in NFKC", async () => {
    const w = await worldWithPanel();
    await w.member(PERSON);
    const typed = "ｐａｓｓｗｏｒｄ ﬁne²";
    // What version 1 stored: the hash of the NFC form, which differs from the NFKC form.
    expect(typed.normalize("NFC")).not.toBe(typed.normalize("NFKC"));
    const hasher = createArgon2idHasher(TEST_ARGON2);
    const v1 = await hasher.hash(typed.normalize("NFC"));
    await w.store.transact({ accounts: [PERSON] }, async (tx) => {
      const account = await tx.findAccountByEmail(PERSON);
      if (account) await tx.updateAccount({ ...account, passwordHash: v1 });
    });
    expect((await w.panelAccess.login({ email: PERSON, password: typed })).isOk()).toBe(true);
    const upgraded = await storedHash(w);
    expect(upgraded).not.toBe(v1);
    expect(await hasher.verify(upgraded, typed.normalize("NFKC"))).toBe(true);
    // Now any NFKC-equivalent spelling works, and a wrong one still counts as a failure.
    expect((await w.panelAccess.login({ email: PERSON, password: "password fine2" })).isOk()).toBe(
      true,
    );
    expect(
      (await w.panelAccess.login({ email: PERSON, password: "ｐａｓｓｗｏｒｄ ﬁne³" })).isErr(),
    ).toBe(true);
  });

  it("PWD-1 v2: argon2 parameters below the OWASP floor are refused at start-up unless allowWeakHashing says so", () => {
    const weak = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
    expect(() => createInMemoryPanelAccess({ argon2: weak })).toThrow(PanelAccessConfigError);
    expect(() => createInMemoryPanelAccess({ argon2: weak })).toThrow(/allowWeakHashing/);
    expect(() => createInMemoryPanelAccess({ argon2: weak, allowWeakHashing: true })).not.toThrow();
    // OWASP's equal-strength pairs pass: 12 MiB with 3 passes, 7 MiB with 5.
    for (const argon2 of [
      { memoryCost: 19_456, timeCost: 2 },
      { memoryCost: 12_288, timeCost: 3 },
      { memoryCost: 7_168, timeCost: 5 },
      { memoryCost: 47_104, timeCost: 1 },
    ]) {
      expect(() => createInMemoryPanelAccess({ argon2 })).not.toThrow();
    }
    expect(() =>
      createInMemoryPanelAccess({ argon2: { memoryCost: 19_455, timeCost: 2 } }),
    ).toThrow(PanelAccessConfigError);
  });
});
