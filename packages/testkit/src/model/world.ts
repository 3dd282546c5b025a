import { randomBytes } from "node:crypto";
import {
  type Actor,
  createPanelAccess,
  type PasswordHasher,
  type StoragePort,
} from "@panel-access/core";
import { ManualClock, RecordingMailer } from "@panel-access/core/testing";
import { DateTime } from "luxon";
import { fastInsecureHasher } from "../fast-hasher.js";
import { type Model, newPerson } from "./state.js";
import { ADMINISTRATORS, PANELS, PEOPLE } from "./world/cast.js";
import { tokenIn } from "./world/expected-mail.js";
import type { Real } from "./world/real.js";

export type { Real } from "./world/real.js";

/** The instant every history starts at. */
export const START = DateTime.fromISO("2026-03-02T08:00:00.000Z", { zone: "utc" });

/**
 * A fresh history: a library instance over `store`, three panels with two
 * administrators (ADMINISTRATORS), and three people nobody has added yet.
 * E-mails are unique per history, so histories can share one database.
 */
export async function newHistory(
  store: StoragePort,
  options: { readonly passwordHasher?: PasswordHasher } = {},
): Promise<{ model: Model; real: Real }> {
  const clock = new ManualClock(START);
  const mailer = new RecordingMailer();
  const panelAccess = createPanelAccess(
    { store, clock, mailer, passwordHasher: options.passwordHasher ?? fastInsecureHasher() },
    {
      appUrl: "https://app.model.test",
      twoFactor: { encryptionKeys: [{ id: "model", key: randomBytes(32) }] },
      // The model does not model LCK-9 or LCK-7 v2's queue bound: throttling is off and
      // every request reaches the store (both are proved by their own tests).
      throttle: { enabled: false },
      maxQueuedPerAccount: 1000,
      // The model's mail is compared after every command: sent before the answer (MAIL-4 off).
      mail: { awaitSending: true },
    },
  );
  const run = randomBytes(5).toString("hex");
  const adminEmails = ADMINISTRATORS.map((_, index) => `admin${index}-${run}@model.test`);
  const panelIds = new Map<string, string>();
  const administrators: Actor[] = [];
  for (const key of PANELS) {
    const creator = ADMINISTRATORS.findIndex((panels) => panels.includes(key));
    const email = adminEmails[creator] ?? "";
    const created = (
      await panelAccess.createPanel({
        actor: { type: "system" },
        name: `Panel ${key}`,
        administratorEmail: email,
      })
    )._unsafeUnwrap();
    panelIds.set(key, created.panel.id);
    if (administrators[creator] === undefined) {
      const token = tokenIn(mailer.last(email, "invitation")?.link ?? "");
      (await panelAccess.register({ token, password: "administrator password" }))._unsafeUnwrap();
      administrators[creator] = { type: "account", accountId: created.administrator.accountId };
    }
  }
  // The administrators of panels they did not create (the second one's of B).
  for (const [index, panels] of ADMINISTRATORS.entries()) {
    for (const key of panels) {
      const creator = ADMINISTRATORS.findIndex((creatorPanels) => creatorPanels.includes(key));
      const by = administrators[creator];
      if (creator === index || by === undefined) continue;
      (
        await panelAccess.addMember({
          actor: by,
          panelId: panelIds.get(key) ?? "",
          email: adminEmails[index] ?? "",
          role: "administrator",
          access: { type: "permanent" },
        })
      )._unsafeUnwrap();
    }
  }
  const admin = administrators[0];
  if (admin === undefined || administrators.length !== ADMINISTRATORS.length)
    throw new Error("an administrator is missing");
  await panelAccess.settled();
  const model: Model = {
    now: START.toMillis(),
    panels: PANELS,
    administrators: ADMINISTRATORS,
    people: Array.from({ length: PEOPLE }, (_, index) => newPerson(`p${index}-${run}@model.test`)),
    steps: 0,
    reached: new Set(),
  };
  return {
    model,
    real: {
      panelAccess,
      clock,
      mailer,
      admin,
      administrators,
      administratorIds: new Set(
        administrators.map((actor) => (actor.type === "account" ? actor.accountId : "")),
      ),
      administratorEmails: adminEmails,
      panelIds,
      accountIds: new Map(),
      mailSeen: mailer.sent.length,
    },
  };
}
