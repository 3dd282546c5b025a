import { randomBytes } from "node:crypto";
import {
  createPanelAccess,
  type Logger,
  type PanelAccessOptions,
  type StoragePort,
} from "@panel-access/core";
import { RecordingLogger } from "@panel-access/core/testing";
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
  ports: { readonly logger?: Logger; readonly store?: StoragePort } = {},
) {
  return createPanelAccess(
    {
      store: ports.store ?? w.store,
      clock: w.clock,
      mailer: w.mailer,
      events: w.events,
      ...(ports.logger && { logger: ports.logger }),
    },
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

  it("MAIL-2, MAIL-4: a dispatcher without the key a message is sealed under fails nothing and uses up no attempt: it releases the message with one error line (key id, message id, never the key), and a dispatcher holding the key sends it", async () => {
    const keyA = { id: "key-a", key: randomBytes(32) };
    const keyB = { id: "key-b", key: randomBytes(32) };
    const w = await worldWithPanel({ twoFactor: { encryptionKeys: [keyA] } });
    const quiet = sibling(w, [keyA], { sendAfterCommit: false });
    (await quiet.addMember({ ...addPerson(w), email: PERSON }))._unsafeUnwrap();
    const [queued] = (await quiet.listMail({ actor: operator, status: "pending" }))._unsafeUnwrap();
    const logger = new RecordingLogger();
    const withoutA = sibling(w, [keyB], {}, { logger });
    expect((await withoutA.dispatchMail())._unsafeUnwrap()).toEqual({
      sent: 0,
      retrying: 0,
      failed: 0,
    });
    expect((await quiet.listMail({ actor: operator, status: "failed" }))._unsafeUnwrap()).toEqual(
      [],
    );
    const [released] = (
      await quiet.listMail({ actor: operator, status: "pending" })
    )._unsafeUnwrap();
    expect(released).toMatchObject({
      messageId: queued?.messageId,
      attempts: 0,
      lastError: "PAYLOAD_KEY_NOT_HELD",
    });
    const errors = logger.lines.filter((line) => line.level === "error");
    expect(errors).toEqual([
      {
        level: "error",
        message: "mail payload sealed with a key this instance does not hold",
        fields: { messageId: queued?.messageId, kind: "invitation", keyId: "key-a" },
      },
    ]);
    const logged = JSON.stringify(logger.lines);
    for (const key of [keyA, keyB]) {
      expect(logged).not.toContain(Buffer.from(key.key).toString("base64"));
      expect(logged).not.toContain(Buffer.from(key.key).toString("base64url"));
    }
    expect(w.events.ofType("mail.failed")).toEqual([]);
    // Another round at the same instant: the message is not due, nothing is logged again.
    expect((await withoutA.dispatchMail())._unsafeUnwrap()).toEqual({
      sent: 0,
      retrying: 0,
      failed: 0,
    });
    expect(logger.lines.filter((line) => line.level === "error")).toHaveLength(1);
    expect(w.mailer.to(PERSON, "invitation")).toEqual([]);
    // mail.firstRetryDelay (1 minute) later, an instance that holds key A sends it, as its first attempt.
    w.clock.advance({ minutes: 1 });
    const withA = sibling(w, [keyB, keyA]);
    expect((await withA.dispatchMail())._unsafeUnwrap()).toEqual({
      sent: 1,
      retrying: 0,
      failed: 0,
    });
    expect(w.mailer.to(PERSON, "invitation")).toHaveLength(1);
    expect(w.mailer.envelopes.at(-1)).toEqual({ messageId: queued?.messageId, attempt: 1 });
  });

  it("MAIL-2: a payload that fails authentication under a key the dispatcher holds (altered) is marked failed at once, PAYLOAD_UNREADABLE, and nothing is sent", async () => {
    const keys = [{ id: "k", key: randomBytes(32) }];
    const w = await worldWithPanel({ twoFactor: { encryptionKeys: keys } });
    const quiet = sibling(w, keys, { sendAfterCommit: false });
    (await quiet.addMember({ ...addPerson(w), email: PERSON }))._unsafeUnwrap();
    const tampering = sibling(w, keys, {}, { store: tamperedPayloads(w.store) });
    expect((await tampering.dispatchMail())._unsafeUnwrap()).toEqual({
      sent: 0,
      retrying: 0,
      failed: 1,
    });
    const failed = (await quiet.listMail({ actor: operator, status: "failed" }))._unsafeUnwrap();
    expect(failed).toEqual([
      expect.objectContaining({ attempts: 1, lastError: "PAYLOAD_UNREADABLE" }),
    ]);
    expect(w.events.ofType("mail.failed")).toEqual([
      expect.objectContaining({ reason: "PAYLOAD_UNREADABLE", retryAt: null }),
    ]);
    expect(w.mailer.to(PERSON, "invitation")).toEqual([]);
  });

  it("MAIL-2, AUD-2: retryMail records mail.requeued with the operator in the audit trail; a refused retry records nothing", async () => {
    const keys = [{ id: "k", key: randomBytes(32) }];
    const w = await worldWithPanel({ twoFactor: { encryptionKeys: keys } });
    const quiet = sibling(w, keys, { sendAfterCommit: false });
    (await quiet.addMember({ ...addPerson(w), email: PERSON }))._unsafeUnwrap();
    const failing = sibling(w, keys, { maxAttempts: 1 });
    w.mailer.failWith();
    expect((await failing.dispatchMail())._unsafeUnwrap().failed).toBe(1);
    w.mailer.recover();
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

/** `store`, but every message a claim answers has one character of its sealed ciphertext changed (key id intact). */
function tamperedPayloads(store: StoragePort): StoragePort {
  const alter = (payload: string | null) => {
    if (payload === null) return null;
    const parts = payload.split(".");
    const ciphertext = parts[3] ?? "";
    parts[3] = `${ciphertext.startsWith("A") ? "B" : "A"}${ciphertext.slice(1)}`;
    return parts.join(".");
  };
  return {
    transact: (scope, work) =>
      store.transact(scope, (tx) =>
        work(
          new Proxy(tx, {
            get(target, property, receiver) {
              const value = Reflect.get(target, property, receiver);
              if (property !== "claimMail" || typeof value !== "function") return value;
              return async (...args: Parameters<typeof tx.claimMail>) =>
                (await tx.claimMail(...args)).map((m) => ({ ...m, payload: alter(m.payload) }));
            },
          }),
        ),
      ),
  };
}
