import type { Logger, Mailer, ThrottleStore } from "@panel-access/core";
import { RecordingLogger } from "@panel-access/core/testing";
import {
  createInMemoryPanelAccess,
  type InMemoryOptions,
  testTwoFactorOptions,
} from "@panel-access/testkit";
import { describe, expect, it } from "vitest";
import { HeldMailer } from "../support/held-mailer.js";
import { PASSWORD, type World, worldWithPanel } from "../support/world.js";

/**
 * Operations: what the library logs in the background (mail rounds and
 * failures, a failing throttle store, mail left to the dispatcher, shutdown)
 * carries counts, codes and ids, never a secret or an e-mail (AUD-1).
 */
const refusing: Mailer = {
  send: () =>
    Promise.reject(
      Object.assign(new Error("to bob@example.com: no"), { code: "EENVELOPE", responseCode: 550 }),
    ),
};

const twoFactor = testTwoFactorOptions();

/** Another instance over the world's store (same keys), with its own mailer and options. */
function another(w: World, options: InMemoryOptions) {
  const instance = createInMemoryPanelAccess({
    store: w.store,
    twoFactor,
    start: w.clock.now(),
    ...options,
  });
  const invite = (email: string) =>
    instance.panelAccess.addMember({
      actor: w.admin,
      panelId: w.panelId,
      email,
      role: "analyst",
      access: { type: "permanent" },
    });
  return { ...instance, invite };
}

describe("operations: the logger", () => {
  it("AUD-1: a story with failing sends, a failing throttle store, mail left to the dispatcher and a shutdown logs what happened, with no secret or e-mail in any line", async () => {
    const logger = new RecordingLogger();
    const w = await worldWithPanel({ logger, twoFactor });
    const { token } = await w.invite("bob@example.com");
    (await w.panelAccess.register({ token: token ?? "", password: PASSWORD }))._unsafeUnwrap();
    const { backupCodes, session } = await w.enrolled("carol@example.com");

    // Sends fail: a round logs its counts and each failure's code.
    const failing = another(w, {
      logger,
      forwardMailTo: refusing,
      mail: { maxAttempts: 1, sendAfterCommit: false },
    });
    (await failing.invite("dave@example.com"))._unsafeUnwrap();
    expect((await failing.panelAccess.dispatchMail())._unsafeUnwrap().failed).toBe(1);

    // A failing throttle store, let through.
    const broken: ThrottleStore = {
      add: () => Promise.reject(new Error("redis at 10.0.0.7 refused bob@example.com")),
      clear: () => Promise.reject(new Error("refused")),
    };
    const open = another(w, {
      logger,
      throttleStore: broken,
      throttle: { onStoreFailure: "open" },
    });
    await open.panelAccess.login({ email: "erin@example.com", password: "erin's password" });

    // Past maxInFlight with no dispatcher started: said once, as a warning.
    const held = new HeldMailer({ send: async () => {} });
    const busy = another(w, {
      logger,
      forwardMailTo: held,
      mail: { awaitSending: false, maxInFlight: 1 },
    });
    const emails = ["f1@example.com", "f2@example.com", "f3@example.com"];
    for (const answer of await Promise.all(emails.map(busy.invite))) answer._unsafeUnwrap();
    held.release();
    await busy.panelAccess.shutdown();

    expect(logger.withMessage("mail send failed")).toEqual([
      expect.objectContaining({
        level: "error",
        fields: expect.objectContaining({ reason: "EENVELOPE 550", final: true }),
      }),
    ]);
    expect(logger.withMessage("mail round")).toEqual([
      expect.objectContaining({ level: "info", fields: expect.objectContaining({ failed: 1 }) }),
    ]);
    expect(logger.withMessage("throttle store failed")[0]?.fields).toMatchObject({
      call: "login",
      answered: "unthrottled",
    });
    expect(logger.withMessage("mail left to the dispatcher, and none was started")).toHaveLength(1);
    expect(logger.withMessage("panel-access shut down")[0]?.fields).toMatchObject({
      settled: true,
      unfinished: 0,
    });

    const secrets = [token, PASSWORD, "erin's password", ...backupCodes, session.sessionToken];
    const written = JSON.stringify(logger.lines);
    for (const secret of secrets) expect(written).not.toContain(secret);
    expect(written).not.toMatch(/@example\.com/);
    expect(written).not.toContain("10.0.0.7");
  });

  it("AUD-1: a logger whose methods are async and reject causes no unhandled rejection: the library ignores it", async () => {
    const rejecting = async () => {
      throw new Error("the log shipper is down");
    };
    const logger: Logger = { debug: rejecting, info: rejecting, warn: rejecting, error: rejecting };
    const w = await worldWithPanel({ logger });
    const report = await w.panelAccess.shutdown();
    expect(report).toMatchObject({ settled: true });
    await new Promise((resolve) => setImmediate(resolve)); // let a stray rejection surface
  });
});

describe("operations: shutdown()", () => {
  it("MAIL-2: shutdown({ timeout }) refuses a timeout that is not whole milliseconds (NaN, negative, past 2^31 - 1) and takes Infinity as no deadline", async () => {
    const w = await worldWithPanel();
    for (const timeout of [Number.NaN, -1, 1.5, 2 ** 31]) {
      await expect(w.panelAccess.shutdown({ timeout })).rejects.toThrow(
        /shutdown\(\{ timeout \}\)/,
      );
    }
    expect(await w.panelAccess.shutdown({ timeout: Number.POSITIVE_INFINITY })).toMatchObject({
      settled: true,
    });
  });

  it("MAIL-2: a dispatchMail() round of the host's own, under way at the deadline, counts as unfinished", async () => {
    const held = new HeldMailer({ send: async () => {} });
    const w = another(await worldWithPanel({ twoFactor }), {
      forwardMailTo: held,
      mail: { sendAfterCommit: false },
    });
    (await w.invite("gina@example.com"))._unsafeUnwrap();
    const round = w.panelAccess.dispatchMail();
    await held.begun(1);
    expect(await w.panelAccess.shutdown({ timeout: 20 })).toMatchObject({
      settled: false,
      unfinished: 1,
    });
    held.release();
    expect((await round)._unsafeUnwrap().sent).toBe(1);
  });
});
