import { randomBytes } from "node:crypto";
import { createPanelAccess, type PanelAccessOptions } from "@panel-access/core";
import { TEST_ARGON2 } from "@panel-access/testkit";
import { describe, expect, it } from "vitest";
import { tokenOf, type World, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";
const operator = { type: "operator", operatorId: "support" } as const;

/** Another library instance over the world's store, clock, mail and events, with its own keys and mail options. */
function sibling(
  w: World,
  encryptionKeys: NonNullable<PanelAccessOptions["twoFactor"]>["encryptionKeys"],
  mail: PanelAccessOptions["mail"] = {},
) {
  return createPanelAccess(
    { store: w.store, clock: w.clock, mailer: w.mailer, events: w.events },
    {
      appUrl: "https://app.example.test",
      argon2: TEST_ARGON2,
      allowWeakHashing: true,
      twoFactor: { encryptionKeys },
      mail,
    },
  );
}

/** addMember's input for a new analyst, but the e-mail. */
const addPerson = (w: World) => ({
  actor: w.admin,
  panelId: w.panelId,
  role: "analyst",
  access: { type: "permanent" } as const,
});

describe("MAIL-2: the outbox", () => {
  it("MAIL-2: with sendAfterCommit off, the state change commits with its queued message and nothing leaves until dispatchMail", async () => {
    const keys = [{ id: "k", key: randomBytes(32) }];
    const w = await worldWithPanel({ twoFactor: { encryptionKeys: keys } });
    const quiet = sibling(w, keys, { sendAfterCommit: false });
    const before = w.mailer.sent.length;
    const added = await quiet.addMember({ ...addPerson(w), email: PERSON });
    expect(added._unsafeUnwrap().notice).toBe("invitation");
    expect(w.mailer.sent.length).toBe(before);
    const pending = (await quiet.listMail({ actor: operator, status: "pending" }))._unsafeUnwrap();
    expect(pending.map((m) => m.kind)).toEqual(["invitation"]);
    const report = (await w.panelAccess.dispatchMail())._unsafeUnwrap();
    expect(report).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(w.mailer.to(PERSON, "invitation")).toHaveLength(1);
    expect(w.mailer.envelopes.at(-1)).toEqual({ messageId: pending[0]?.messageId, attempt: 1 });
  });

  it("MAIL-2: the stored message holds no live token in clear, is bound to its id, and loses its payload once sent", async () => {
    const w = await worldWithPanel();
    w.mailer.failWith();
    (await w.panelAccess.addMember({ ...addPerson(w), email: PERSON }))._unsafeUnwrap();
    const [queued] = (
      await w.panelAccess.listMail({ actor: operator, status: "pending" })
    )._unsafeUnwrap();
    const stored = JSON.stringify(w.store.snapshot());
    w.mailer.recover();
    w.clock.advance({ minutes: 1 });
    (await w.panelAccess.dispatchMail())._unsafeUnwrap();
    const token = tokenOf(w.mailer.last(PERSON, "invitation"));
    expect(token.length).toBeGreaterThan(40);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(token.split(".")[1]);
    const sent = (
      await w.panelAccess.listMail({ actor: operator, status: "sent" })
    )._unsafeUnwrap();
    expect(sent.map((m) => m.messageId)).toContain(queued?.messageId);
    const snapshot = w.store.snapshot() as {
      mail: [string, { payload: unknown; status: string }][];
    };
    expect(snapshot.mail.filter(([, m]) => m.status === "sent" && m.payload !== null)).toEqual([]);
  });

  it("MAIL-2: a message whose sealing key was removed is marked failed at once; with the key back, retryMail sends it", async () => {
    const oldKey = { id: "old", key: randomBytes(32) };
    const newKey = { id: "new", key: randomBytes(32) };
    const w = await worldWithPanel({ twoFactor: { encryptionKeys: [oldKey] } });
    const quiet = sibling(w, [oldKey], { sendAfterCommit: false });
    (await quiet.addMember({ ...addPerson(w), email: PERSON }))._unsafeUnwrap();
    const withoutOldKey = sibling(w, [newKey]);
    expect((await withoutOldKey.dispatchMail())._unsafeUnwrap()).toEqual({
      sent: 0,
      retrying: 0,
      failed: 1,
    });
    const failed = (await withoutOldKey.listMail({ actor: operator }))._unsafeUnwrap();
    expect(failed.map((m) => m.lastError)).toEqual(["PAYLOAD_UNREADABLE"]);
    const rotated = sibling(w, [newKey, oldKey]);
    const messageId = failed[0]?.messageId ?? "";
    (await rotated.retryMail({ actor: operator, messageId }))._unsafeUnwrap();
    expect((await rotated.dispatchMail())._unsafeUnwrap().sent).toBe(1);
    expect(w.mailer.to(PERSON, "invitation")).toHaveLength(1);
  });

  it("MAIL-2, AUD-2: retryMail records mail.requeued with the operator in the audit trail; a refused retry records nothing", async () => {
    const keys = [{ id: "k", key: randomBytes(32) }];
    const w = await worldWithPanel({ twoFactor: { encryptionKeys: keys } });
    const quiet = sibling(w, keys, { sendAfterCommit: false });
    (await quiet.addMember({ ...addPerson(w), email: PERSON }))._unsafeUnwrap();
    const withoutKey = sibling(w, [{ id: "other", key: randomBytes(32) }]);
    expect((await withoutKey.dispatchMail())._unsafeUnwrap().failed).toBe(1);
    const [failed] = (await quiet.listMail({ actor: operator }))._unsafeUnwrap();
    const messageId = failed?.messageId ?? "";
    const requeued = () =>
      quiet
        .listAllActivity({ actor: operator, types: ["mail.requeued"] })
        .map((page) => page.events);
    expect((await requeued())._unsafeUnwrap()).toEqual([]);
    (await quiet.retryMail({ actor: operator, messageId }))._unsafeUnwrap();
    expect((await quiet.retryMail({ actor: operator, messageId }))._unsafeUnwrapErr().type).toBe(
      "MAIL_NOT_FAILED",
    );
    expect((await requeued())._unsafeUnwrap()).toEqual([
      expect.objectContaining({ type: "mail.requeued", actor: operator, messageId }),
    ]);
    expect(w.events.ofType("mail.requeued")).toEqual([
      expect.objectContaining({ actor: operator, messageId }),
    ]);
  });

  it("MAIL-2: only the support team lists or re-queues messages", async () => {
    const w = await worldWithPanel();
    expect((await w.panelAccess.listMail({ actor: w.admin }))._unsafeUnwrapErr().type).toBe(
      "FORBIDDEN",
    );
    expect(
      (
        await w.panelAccess.retryMail({ actor: { type: "system" }, messageId: "x" })
      )._unsafeUnwrapErr().type,
    ).toBe("FORBIDDEN");
    expect(
      (await w.panelAccess.retryMail({ actor: operator, messageId: "unknown" }))._unsafeUnwrapErr()
        .type,
    ).toBe("MAIL_NOT_FAILED");
  });
});
