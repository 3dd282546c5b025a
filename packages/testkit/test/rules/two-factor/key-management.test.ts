import { MemoryStore } from "@panel-access/adapter-memory";
import { createPanelAccess, PanelAccessConfigError, SealedSecretError } from "@panel-access/core";
import { createInMemoryPanelAccess, RecordingMailer, scan } from "@panel-access/testkit";
import { describe, expect, it } from "vitest";
import { PASSWORD, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";
const keyA = { id: "2026-a", key: Buffer.alloc(32, 1) };
const keyB = { id: "2026-b", key: Buffer.alloc(32, 2).toString("base64") };

describe("TFA-11: TOTP secrets sealed under host keys", () => {
  it("TFA-11: the library refuses to start without a key, with a key of the wrong length, or with duplicate ids", () => {
    const ports = { store: new MemoryStore(), mailer: new RecordingMailer() };
    const appUrl = "https://app.example.test";
    const refused = [
      [{ appUrl }, "twoFactor"],
      [{ appUrl, twoFactor: { encryptionKeys: [] } }, "at least one encryption key"],
      [
        { appUrl, twoFactor: { encryptionKeys: [{ id: "k", key: Buffer.alloc(16) }] } },
        "exactly 32 bytes",
      ],
      [
        { appUrl, twoFactor: { encryptionKeys: [{ id: "k", key: "c2hvcnQ=" }] } },
        "exactly 32 bytes",
      ],
      [{ appUrl, twoFactor: { encryptionKeys: [keyA, { ...keyA }] } }, "unique"],
      [
        { appUrl, twoFactor: { encryptionKeys: [keyA], issuer: "Acme: Panels" } },
        "cannot contain ':'",
      ],
    ] as const;
    for (const [options, message] of refused) {
      expect(() => createPanelAccess(ports, options as never)).toThrow(PanelAccessConfigError);
      expect(() => createPanelAccess(ports, options as never)).toThrow(message);
    }
    expect(() =>
      createPanelAccess(ports, { appUrl, twoFactor: { encryptionKeys: [keyB] } }),
    ).not.toThrow();
  });

  it("TFA-11: with a new key first and the old one kept, old secrets still open, new ones are sealed with the new key, and a login re-seals", async () => {
    const store = new MemoryStore();
    const w = await worldWithPanel({ store, twoFactor: { encryptionKeys: [keyA] } });
    const { app } = await w.enrolled(PERSON);
    expect(JSON.stringify(store.snapshot())).toContain('"sealedSecret":"v1.2026-a.');

    const rotated = createInMemoryPanelAccess({
      store,
      start: w.clock.now(),
      twoFactor: { encryptionKeys: [keyB, keyA] },
    });
    const phone = scan(app.uri, rotated.clock);
    const step = (
      await rotated.panelAccess.login({ email: PERSON, password: PASSWORD })
    )._unsafeUnwrap();
    if (step.next !== "secondFactor") expect.fail(step.next);
    expect(
      (
        await rotated.panelAccess.verifySecondFactor({
          challenge: step.challenge,
          code: phone.code(),
        })
      ).isOk(),
    ).toBe(true);
    expect(JSON.stringify(store.snapshot())).toContain('"sealedSecret":"v1.2026-b.');
    expect(JSON.stringify(store.snapshot())).not.toContain('"sealedSecret":"v1.2026-a.');

    // Every secret is now under the new key: the old one can go.
    const onlyNew = createInMemoryPanelAccess({
      store,
      start: rotated.clock.now().plus({ minutes: 1 }),
      twoFactor: { encryptionKeys: [keyB] },
    });
    const again = (
      await onlyNew.panelAccess.login({ email: PERSON, password: PASSWORD })
    )._unsafeUnwrap();
    if (again.next !== "secondFactor") expect.fail(again.next);
    const code = scan(app.uri, onlyNew.clock).code();
    expect(
      (await onlyNew.panelAccess.verifySecondFactor({ challenge: again.challenge, code })).isOk(),
    ).toBe(true);
  });

  it("TFA-11: a secret whose key was removed too early fails loudly, naming the key id", async () => {
    const store = new MemoryStore();
    const w = await worldWithPanel({ store, twoFactor: { encryptionKeys: [keyA] } });
    const { app } = await w.enrolled(PERSON);
    const withoutA = createInMemoryPanelAccess({
      store,
      start: w.clock.now(),
      twoFactor: { encryptionKeys: [keyB] },
    });
    const step = (
      await withoutA.panelAccess.login({ email: PERSON, password: PASSWORD })
    )._unsafeUnwrap();
    if (step.next !== "secondFactor") expect.fail(step.next);
    await expect(
      withoutA.panelAccess.verifySecondFactor({ challenge: step.challenge, code: app.code() }),
    ).rejects.toThrow(SealedSecretError);
  });
});
