import { describe, expect, it } from "vitest";
import { isWellFormedText, labelSchema, roleSchema } from "../input/schemas.js";
import type { StoragePort } from "../ports/storage.js";
import { runMailOutboxContract } from "./mail-outbox-contract.js";
import { aLink, aMembership, aMessage, anAccount, aPanel, plain, T0, uniqueId } from "./records.js";
import { runUseCaseRaces } from "./use-case-races.js";

/** How the contract gets a store to test. */
export interface StoreFactory {
  /** A store over an empty database (a fresh schema, a fresh instance). */
  createStore(): StoragePort | Promise<StoragePort>;
  /**
   * Optional: another store over the same database, standing for another
   * application instance (Postgres: another pool). Parallel tests spread their
   * calls over all instances. @default the same store
   */
  createPeer?(store: StoragePort, index: number): StoragePort | Promise<StoragePort>;
  /** How many instances the parallel tests spread over. @default 2 */
  instances?: number;
}

/** How many parallel callers the race tests start. */
const PARALLEL = 50;

/** Astral characters (surrogate pairs): emoji, a ZWJ sequence, mathematical letters, CJK extension B. */
const ASTRAL_TEXT = "😀🔐 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎𠜱𠝹 👩\u200d💻 ❤\ufe0f";
/** Decomposed: "e" followed by U+0301, which NFC would fold into "é" (U+00E9). */
const COMBINING_TEXT = "E\u0301quipe cafe\u0301 n\u0303 a\u0308\u0304";
/** Letters that NFC or NFKC would rewrite: a ligature, fullwidth, superscript, a Roman numeral, U+212B, U+F900. */
const COMPATIBILITY_TEXT = "\ufb01 ｐａｎｅｌ x² Ⅸ \u212b \uf900";
/** Hebrew, Arabic, and both inside left-to-right text with a right-to-left mark. */
const LABEL_TEXTS = [ASTRAL_TEXT, COMBINING_TEXT, COMPATIBILITY_TEXT, "לוח בקרה", "لوحة التحكم"];
const MIXED_TEXT = "Acme לוח בקרה 2026 لوحة (beta)\u200f!";
/** Role names the role schema accepts (letters and digits only: no marks, no emoji). */
const ROLE_TEXTS = [
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎",
  "מנהל מערכת",
  "مشرف",
  "Editor עורך 2",
  "ｅｄｉｔｏｒ \ufb01 \u212b \uf900 Ⅸ²",
];

/**
 * The storage port's contract: every adapter runs it unchanged, and is done
 * when it passes. Call it at the top level of a vitest test file.
 */
export function runStorageContract(name: string, factory: StoreFactory): void {
  /** The store, then its peers: one per application instance. */
  async function stores(): Promise<[StoragePort, ...StoragePort[]]> {
    const store = await factory.createStore();
    const peers: StoragePort[] = [];
    for (let i = 1; i < (factory.instances ?? 2); i++) {
      peers.push(factory.createPeer ? await factory.createPeer(store, i) : store);
    }
    return [store, ...peers];
  }

  describe(`storage contract: ${name}`, () => {
    it("round-trips every record kind; missing data is null or empty", async () => {
      const [store] = await stores();
      const account = anAccount({
        passwordHash: "$argon2id$x",
        registeredAt: T0.plus({ minutes: 1 }),
      });
      const panel = aPanel({ settings: { ssoEnabled: true } });
      const temporary = {
        type: "temporary" as const,
        endsAt: T0.plus({ days: 3, milliseconds: 7 }),
      };
      const membership = aMembership(account.id, panel.id, { access: temporary });
      const link = aLink(account.id, { panelId: panel.id });
      await store.transact({ accounts: [account.email], panels: [panel.id] }, async (tx) => {
        await tx.createAccount(account);
        await tx.createPanel(panel);
        await tx.putMembership(membership);
        await tx.createLink(link);
      });
      await store.transact({}, async (tx) => {
        expect(plain(await tx.findAccountByEmail(account.email))).toEqual(plain(account));
        expect(plain(await tx.findAccountById(account.id))).toEqual(plain(account));
        expect(plain(await tx.findAccountsByIds([account.id, "missing"]))).toEqual([
          plain(account),
        ]);
        const both = { account: plain(account), memberships: [plain(membership)] };
        expect(plain(await tx.findAccountWithMemberships({ id: account.id }))).toEqual(both);
        expect(plain(await tx.findAccountWithMemberships({ email: account.email }))).toEqual(both);
        expect(await tx.findAccountWithMemberships({ email: "missing@example.com" })).toBeNull();
        expect(plain(await tx.findPanel(panel.id))).toEqual(plain(panel));
        expect(plain(await tx.findPanels([panel.id, "missing"]))).toEqual([plain(panel)]);
        expect(plain(await tx.findMembership(account.id, panel.id))).toEqual(plain(membership));
        expect(plain(await tx.listMembershipsOfAccount(account.id))).toEqual([plain(membership)]);
        expect(plain(await tx.listMembershipsOfPanel(panel.id))).toEqual([plain(membership)]);
        expect(plain(await tx.findLink(link.id))).toEqual(plain(link));
        expect(plain(await tx.findLatestLink(account.id, "invitation"))).toEqual(plain(link));
        expect(await tx.findAccountByEmail("missing@example.com")).toBeNull();
        expect(await tx.findAccountById("missing")).toBeNull();
        expect(await tx.findPanel("missing")).toBeNull();
        expect(await tx.findMembership(account.id, "missing")).toBeNull();
        expect(await tx.listMembershipsOfAccount("missing")).toEqual([]);
        expect(await tx.findLink("missing")).toBeNull();
        expect(await tx.findLatestLink(account.id, "passwordReset")).toBeNull();
      });
    });

    it("updates and deletes: updateAccount replaces, putMembership replaces, deleteMembership removes", async () => {
      const [store] = await stores();
      const account = anAccount();
      const panel = aPanel();
      await store.transact({ accounts: [account.email] }, async (tx) => {
        await tx.createAccount(account);
        await tx.createPanel(panel);
        await tx.putMembership(aMembership(account.id, panel.id));
      });
      const registered = { ...account, passwordHash: "$argon2id$y", registeredAt: T0 };
      const changed = aMembership(account.id, panel.id, {
        role: "editor",
        updatedAt: T0.plus({ hours: 1 }),
      });
      await store.transact({ accounts: [account.email] }, async (tx) => {
        await tx.updateAccount(registered);
        await tx.putMembership(changed);
      });
      await store.transact({}, async (tx) => {
        expect(plain(await tx.findAccountById(account.id))).toEqual(plain(registered));
        expect(plain(await tx.listMembershipsOfPanel(panel.id))).toEqual([plain(changed)]);
      });
      await store.transact({ accounts: [account.email] }, (tx) =>
        tx.deleteMembership(account.id, panel.id),
      );
      await store.transact({}, async (tx) => {
        expect(await tx.findMembership(account.id, panel.id)).toBeNull();
        expect(await tx.findAccountById(account.id)).not.toBeNull();
      });
    });

    it("PWD-5: countLinksIssuedSince counts one account's links of one purpose issued at or after an instant", async () => {
      const [store] = await stores();
      const account = anAccount();
      const other = anAccount();
      await store.transact({ accounts: [account.email, other.email] }, async (tx) => {
        await tx.createAccount(account);
        await tx.createAccount(other);
        for (const [sequence, minutes] of [
          [1, 0],
          [2, 30],
          [3, 59],
          [4, 60],
        ] as const) {
          const issuedAt = T0.plus({ minutes });
          await tx.createLink(aLink(account.id, { purpose: "passwordReset", sequence, issuedAt }));
        }
        await tx.createLink(aLink(account.id, { sequence: 1, issuedAt: T0.plus({ minutes: 40 }) }));
        await tx.createLink(
          aLink(other.id, { purpose: "passwordReset", issuedAt: T0.plus({ minutes: 45 }) }),
        );
      });
      await store.transact({}, async (tx) => {
        const since = (minutes: number) => T0.plus({ minutes });
        expect(await tx.countLinksIssuedSince(account.id, "passwordReset", since(0))).toBe(4);
        expect(await tx.countLinksIssuedSince(account.id, "passwordReset", since(30))).toBe(3);
        expect(await tx.countLinksIssuedSince(account.id, "passwordReset", since(61))).toBe(0);
        expect(await tx.countLinksIssuedSince(account.id, "invitation", since(0))).toBe(1);
      });
    });

    it("findLatestLink returns the highest sequence; duplicates are rejected, except sequence 0", async () => {
      const [store] = await stores();
      const account = anAccount();
      await store.transact({ accounts: [account.email] }, async (tx) => {
        await tx.createAccount(account);
        for (const sequence of [1, 3, 2]) await tx.createLink(aLink(account.id, { sequence }));
        await tx.createLink(aLink(account.id, { sequence: 9, purpose: "passwordReset" }));
      });
      await store.transact({}, async (tx) => {
        expect((await tx.findLatestLink(account.id, "invitation"))?.sequence).toBe(3);
        expect((await tx.findLatestLink(account.id, "passwordReset"))?.sequence).toBe(9);
      });
      const duplicate = store.transact({ accounts: [account.email] }, (tx) =>
        tx.createLink(aLink(account.id, { sequence: 3 })),
      );
      await expect(duplicate).rejects.toBeDefined();
      const sameEmail = store.transact({ accounts: [account.email] }, (tx) =>
        tx.createAccount(anAccount({ email: account.email })),
      );
      await expect(sameEmail).rejects.toBeDefined();
      await store.transact({ accounts: [account.email] }, async (tx) => {
        await tx.createLink(aLink(account.id, { purpose: "loginChallenge", sequence: 0 }));
        await tx.createLink(aLink(account.id, { purpose: "loginChallenge", sequence: 0 }));
      });
    });

    it("atomicity: a unit of work that rejects leaves nothing behind and passes the rejection on", async () => {
      const [store] = await stores();
      const account = anAccount();
      const panel = aPanel();
      const failure = new Error("rule said no");
      const run = store.transact({ accounts: [account.email] }, async (tx) => {
        await tx.createAccount(account);
        await tx.createPanel(panel);
        await tx.putMembership(aMembership(account.id, panel.id));
        throw failure;
      });
      await expect(run).rejects.toBe(failure);
      await store.transact({}, async (tx) => {
        expect(await tx.findAccountByEmail(account.email)).toBeNull();
        expect(await tx.findPanel(panel.id)).toBeNull();
        expect(await tx.listMembershipsOfPanel(panel.id)).toEqual([]);
      });
    });

    it(`isolation: ${PARALLEL} parallel read-then-write units of work on one account lose no update`, async () => {
      const all = await stores();
      const [store] = all;
      const pick = (i: number) => all[i % all.length] ?? store;
      const account = anAccount();
      await store.transact({ accounts: [account.email] }, (tx) => tx.createAccount(account));
      await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) =>
          pick(i).transact({ accounts: [account.email] }, async (tx) => {
            const current = await tx.findAccountByEmail(account.email);
            if (current === null) throw new Error("account vanished");
            await tx.findPanel("yield-to-other-callers");
            const failures = current.lockout.consecutiveFailures + 1;
            await tx.updateAccount({
              ...current,
              lockout: { ...current.lockout, consecutiveFailures: failures },
            });
          }),
        ),
      );
      const final = await store.transact({}, (tx) => tx.findAccountById(account.id));
      expect(final?.lockout.consecutiveFailures).toBe(PARALLEL);
    });

    it("isolation: an account not yet created is serialised by its e-mail: one creation wins", async () => {
      const all = await stores();
      const [store] = all;
      const pick = (i: number) => all[i % all.length] ?? store;
      const email = anAccount().email;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          pick(i).transact({ accounts: [email] }, async (tx) => {
            if (await tx.findAccountByEmail(email)) return "existed";
            await tx.findPanel("yield-to-other-callers");
            await tx.createAccount(anAccount({ email }));
            return "created";
          }),
        ),
      );
      const values = outcomes.map((o) => (o.status === "fulfilled" ? o.value : "rejected"));
      expect(values.filter((v) => v === "created")).toHaveLength(1);
      expect(values.filter((v) => v === "existed")).toHaveLength(19);
    });

    it("isolation: units of work on one panel are serialised (a limit checked then written holds)", async () => {
      const all = await stores();
      const [store] = all;
      const pick = (i: number) => all[i % all.length] ?? store;
      const panel = aPanel();
      const accounts = Array.from({ length: 20 }, () => anAccount());
      await store.transact({ panels: [panel.id] }, async (tx) => {
        await tx.createPanel(panel);
        for (const account of accounts) await tx.createAccount(account);
      });
      const limit = 5;
      await Promise.all(
        accounts.map((account, i) =>
          pick(i).transact({ panels: [panel.id] }, async (tx) => {
            const members = await tx.listMembershipsOfPanel(panel.id);
            await tx.findPanel("yield-to-other-callers");
            if (members.length < limit) await tx.putMembership(aMembership(account.id, panel.id));
          }),
        ),
      );
      const members = await store.transact({}, (tx) => tx.listMembershipsOfPanel(panel.id));
      expect(members).toHaveLength(limit);
    });

    it("overlapping scopes named in different orders never deadlock", async () => {
      const all = await stores();
      const [store] = all;
      const pick = (i: number) => all[i % all.length] ?? store;
      const [a, b] = [anAccount(), anAccount()];
      const panel = aPanel();
      await store.transact({}, async (tx) => {
        await tx.createAccount(a);
        await tx.createAccount(b);
      });
      const runs = Array.from({ length: 20 }, (_, i) =>
        pick(i).transact(
          i % 2
            ? { accounts: [a.email, b.email], panels: [panel.id] }
            : { panels: [panel.id], accounts: [b.email, a.email] },
          async (tx) => {
            await tx.findAccountById(a.id);
            return i;
          },
        ),
      );
      expect((await Promise.all(runs)).length).toBe(20);
    });

    it(`consumeLink: ${PARALLEL} parallel consumers, even with no lock scope, exactly one wins`, async () => {
      const all = await stores();
      const [store] = all;
      const pick = (i: number) => all[i % all.length] ?? store;
      const account = anAccount();
      const link = aLink(account.id);
      await store.transact({}, async (tx) => {
        await tx.createAccount(account);
        await tx.createLink(link);
      });
      const at = T0.plus({ hours: 1 });
      const wins = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) =>
          pick(i).transact({}, (tx) => tx.consumeLink(link.id, at)),
        ),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      const stored = await store.transact({}, (tx) => tx.findLink(link.id));
      expect(stored?.consumedAt?.toMillis()).toBe(at.toMillis());
      expect(await store.transact({}, (tx) => tx.consumeLink("missing", at))).toBe(false);
    });

    it("consumeLink: a consumption rolled back leaves the link unconsumed", async () => {
      const [store] = await stores();
      const account = anAccount();
      const link = aLink(account.id);
      await store.transact({}, async (tx) => {
        await tx.createAccount(account);
        await tx.createLink(link);
      });
      const run = store.transact({}, async (tx) => {
        expect(await tx.consumeLink(link.id, T0)).toBe(true);
        throw new Error("later step failed");
      });
      await expect(run).rejects.toThrow("later step failed");
      expect(await store.transact({}, (tx) => tx.consumeLink(link.id, T0))).toBe(true);
    });

    it(`acceptTotpStep: ${PARALLEL} parallel callers with one step, with no lock scope: exactly one wins; older steps lose`, async () => {
      const all = await stores();
      const [store] = all;
      const pick = (i: number) => all[i % all.length] ?? store;
      const account = anAccount();
      await store.transact({}, (tx) => tx.createAccount(account));
      const wins = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) =>
          pick(i).transact({}, (tx) => tx.acceptTotpStep(account.id, 1000)),
        ),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await store.transact({}, (tx) => tx.acceptTotpStep(account.id, 999))).toBe(false);
      expect(await store.transact({}, (tx) => tx.acceptTotpStep(account.id, 1001))).toBe(true);
      await store.transact({}, (tx) => tx.forgetTotpSteps(account.id));
      expect(await store.transact({}, (tx) => tx.acceptTotpStep(account.id, 5))).toBe(true);
    });

    it(`consumeBackupCode: ${PARALLEL} parallel callers, with no lock scope: exactly one wins; a replaced set is gone`, async () => {
      const all = await stores();
      const [store] = all;
      const pick = (i: number) => all[i % all.length] ?? store;
      const account = anAccount();
      const code = (hash: string) => ({
        accountId: account.id,
        codeHash: hash,
        createdAt: T0,
        usedAt: null,
      });
      await store.transact({}, async (tx) => {
        await tx.createAccount(account);
        await tx.replaceBackupCodes(account.id, [code("aa"), code("bb"), code("cc")]);
      });
      const wins = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) =>
          pick(i).transact({}, (tx) => tx.consumeBackupCode(account.id, "bb", T0)),
        ),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await store.transact({}, (tx) => tx.countUnusedBackupCodes(account.id))).toBe(2);
      expect(
        await store.transact({}, (tx) => tx.consumeBackupCode("another-account", "aa", T0)),
      ).toBe(false);
      await store.transact({}, (tx) => tx.replaceBackupCodes(account.id, [code("dd")]));
      expect(await store.transact({}, (tx) => tx.consumeBackupCode(account.id, "aa", T0))).toBe(
        false,
      );
      expect(await store.transact({}, (tx) => tx.countUnusedBackupCodes(account.id))).toBe(1);
    });

    it("remembered browsers and sessions: round-trip, touch, delete one, delete all of an account", async () => {
      const [store] = await stores();
      const account = anAccount();
      const browser = {
        id: uniqueId("rb"),
        accountId: account.id,
        secretHash: "ab".repeat(32),
        label: "Firefox on Linux",
        createdAt: T0,
        lastUsedAt: T0,
        expiresAt: T0.plus({ days: 7 }),
      };
      const session = {
        id: uniqueId("ses"),
        accountId: account.id,
        secretHash: "cd".repeat(32),
        method: "local" as const,
        createdAt: T0,
        lastUsedAt: T0,
        expiresAt: T0.plus({ hours: 12 }),
      };
      await store.transact({}, async (tx) => {
        await tx.createAccount(account);
        await tx.createRememberedBrowser(browser);
        await tx.createRememberedBrowser({ ...browser, id: uniqueId("rb"), label: null });
        await tx.createSession(session);
      });
      const later = T0.plus({ hours: 1 });
      await store.transact({}, async (tx) => {
        expect(plain(await tx.findRememberedBrowser(browser.id))).toEqual(plain(browser));
        expect(await tx.listRememberedBrowsers(account.id)).toHaveLength(2);
        expect(await tx.touchRememberedBrowser(browser.id, later)).toBe(true);
        expect(plain(await tx.findSession(session.id))).toEqual(plain(session));
        expect(await tx.touchSession(session.id, later)).toBe(true);
      });
      await store.transact({}, async (tx) => {
        expect((await tx.findRememberedBrowser(browser.id))?.lastUsedAt.toMillis()).toBe(
          later.toMillis(),
        );
        expect((await tx.findSession(session.id))?.lastUsedAt.toMillis()).toBe(later.toMillis());
        expect(await tx.deleteRememberedBrowser(browser.id)).toBe(true);
        expect(await tx.deleteRememberedBrowser(browser.id)).toBe(false);
        expect(await tx.deleteRememberedBrowsersOfAccount(account.id)).toHaveLength(1);
        expect(await tx.deleteSessionsOfAccount(account.id)).toEqual([session.id]);
        expect(await tx.findSession(session.id)).toBeNull();
        expect(await tx.touchSession(session.id, later)).toBe(false);
      });
    });

    it("INP-1 v2: every text is stored and returned exactly as given (astral characters, combining marks, right-to-left text)", async () => {
      const [store] = await stores();
      /** Read back: the same string, and the same UTF-16 length (no unit lost, added or merged). */
      const same = (got: string | null | undefined, given: string) => {
        expect(got).toBe(given);
        expect(got?.length).toBe(given.length);
      };
      // Guard the samples themselves: each must change under some normalisation,
      // or an adapter that normalised would still pass.
      const changedByNormalising = (text: string) =>
        ["NFC", "NFD", "NFKC", "NFKD"].some((form) => text.normalize(form) !== text);
      const labels = [...LABEL_TEXTS, MIXED_TEXT];
      for (const text of [...labels, ...ROLE_TEXTS]) {
        expect(isWellFormedText(text), text).toBe(true);
      }
      expect(COMBINING_TEXT.normalize("NFC")).toContain("\u00e9");
      expect(changedByNormalising(COMPATIBILITY_TEXT)).toBe(true);
      expect(ROLE_TEXTS.some((role) => role.normalize("NFC") !== role)).toBe(true);
      expect(ROLE_TEXTS.some((role) => role.normalize("NFKC") !== role)).toBe(true);
      // What the core would itself store: labels and roles its schemas accept unchanged.
      for (const text of labels) expect(labelSchema(100).parse(text), text).toBe(text);
      for (const role of ROLE_TEXTS) expect(roleSchema.parse(role), role).toBe(role);

      // An e-mail's local part must be ASCII (the e-mail schema), so only compared exactly.
      const id = uniqueId("acc");
      const email = `${id.toLowerCase()}+o'brien.{x}~y=z@example.com`;
      const passwordHash = `$argon2id$v=19$m=19456,t=2,p=1$${MIXED_TEXT}$${COMBINING_TEXT}`;
      const sealedSecret = `v1.${ASTRAL_TEXT}.${COMPATIBILITY_TEXT}`;
      const account = anAccount({
        id,
        email,
        passwordHash,
        registeredAt: T0,
        twoFactor: { status: "enrolled", sealedSecret, enrolledAt: T0 },
      });
      const panels = labels.map((name) => aPanel({ name }));
      const memberships = ROLE_TEXTS.map((role, i) =>
        aMembership(account.id, (panels[i] ?? aPanel()).id, { role }),
      );
      const browsers = labels.map((label) => ({
        id: uniqueId("rb"),
        accountId: account.id,
        secretHash: "ef".repeat(32),
        label,
        createdAt: T0,
        lastUsedAt: T0,
        expiresAt: T0.plus({ days: 7 }),
      }));
      const payload = `v1.${labels.join("\u2028")}`;
      const message = aMessage(account.id, { payload });
      await store.transact(
        { accounts: [account.email], panels: panels.map((p) => p.id) },
        async (tx) => {
          await tx.createAccount(account);
          for (const panel of panels) await tx.createPanel(panel);
          for (const membership of memberships) await tx.putMembership(membership);
          for (const browser of browsers) await tx.createRememberedBrowser(browser);
          await tx.enqueueMail(message);
        },
      );

      const lastError = `EENVELOPE 550 ${ASTRAL_TEXT}`;
      await store.transact({ accounts: [account.email] }, async (tx) => {
        const claimId = uniqueId("claim");
        const [claimed] = await tx.claimMail({
          now: T0,
          until: T0.plus({ minutes: 10 }),
          claimId,
          limit: 10,
          ids: [message.id],
        });
        same(claimed?.payload, payload);
        const retry = T0.plus({ minutes: 1 });
        const outcome = {
          status: "pending" as const,
          attempts: 1,
          nextAttemptAt: retry,
          lastError,
        };
        expect(await tx.settleMail(message.id, claimId, outcome)).toBe(true);
      });

      await store.transact({}, async (tx) => {
        for (const found of [
          await tx.findAccountByEmail(email),
          await tx.findAccountById(account.id),
          (await tx.findAccountsByIds([account.id]))[0],
          (await tx.findAccountWithMemberships({ email }))?.account,
        ]) {
          same(found?.email, email);
          same(found?.passwordHash, passwordHash);
          same(found?.twoFactor?.sealedSecret, sealedSecret);
        }
        const byPanel = new Map(
          (await tx.findPanels(panels.map((p) => p.id))).map((p) => [p.id, p]),
        );
        for (const panel of panels) {
          same((await tx.findPanel(panel.id))?.name, panel.name);
          same(byPanel.get(panel.id)?.name, panel.name);
        }
        const withMemberships = await tx.findAccountWithMemberships({ id: account.id });
        const listed = await tx.listMembershipsOfAccount(account.id);
        for (const membership of memberships) {
          const { panelId, role } = membership;
          same((await tx.findMembership(account.id, panelId))?.role, role);
          same((await tx.listMembershipsOfPanel(panelId))[0]?.role, role);
          same(listed.find((m) => m.panelId === panelId)?.role, role);
          same(withMemberships?.memberships.find((m) => m.panelId === panelId)?.role, role);
        }
        const remembered = await tx.listRememberedBrowsers(account.id);
        for (const browser of browsers) {
          same((await tx.findRememberedBrowser(browser.id))?.label, browser.label);
          same(remembered.find((b) => b.id === browser.id)?.label, browser.label);
        }
        const pending = (await tx.listMail("pending", 1000)).find((m) => m.id === message.id);
        same(pending?.payload, payload);
        same(pending?.lastError, lastError);
        expect(pending?.kind).toBe(message.kind);
      });
    });

    runMailOutboxContract(stores, PARALLEL);
    runUseCaseRaces(stores, PARALLEL);
  });
}
