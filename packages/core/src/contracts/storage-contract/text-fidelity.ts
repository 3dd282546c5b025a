import { expect, it } from "vitest";
import { isWellFormedText, labelSchema, roleSchema } from "../../input/schemas.js";
import type { StoragePort } from "../../ports/storage.js";
import { aMembership, aMessage, anAccount, aPanel, T0, uniqueId } from "../../testing/records.js";

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

/** INP-1 v2: text is stored and returned exactly as given, never normalised. */
export function runTextFidelityContract(
  stores: () => Promise<[StoragePort, ...StoragePort[]]>,
): void {
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
      const byPanel = new Map((await tx.findPanels(panels.map((p) => p.id))).map((p) => [p.id, p]));
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
}
