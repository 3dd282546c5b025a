import { deepStrictEqual } from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { ManualClock, RecordingMailer } from "@panel-access/adapter-memory";
import {
  type Actor,
  createPanelAccess,
  type MailIntent,
  type PanelAccess,
  type PasswordHasher,
  type StoragePort,
} from "@panel-access/core";
import { DateTime } from "luxon";
import { fastInsecureHasher } from "../fast-hasher.js";
import {
  HOUR,
  livePanelsOf,
  type Model,
  newPerson,
  panelStatusOf,
  RULES,
  statusOf,
} from "./state.js";

/** The library under test, as one history drives it. */
export interface Real {
  readonly panelAccess: PanelAccess;
  readonly clock: ManualClock;
  readonly mailer: RecordingMailer;
  readonly admin: Actor;
  /** Model panel key → real panel id. */
  readonly panelIds: ReadonlyMap<string, string>;
  /** E-mail → account id, once the account exists. */
  readonly accountIds: Map<string, string>;
  /** How many messages of `mailer.sent` the model has accounted for. */
  mailSeen: number;
}

/** The instant every history starts at. */
export const START = DateTime.fromISO("2026-03-02T08:00:00.000Z", { zone: "utc" });

/** A message the model expects from one command: to whom, which kind, and the expiry it must state. */
export interface ExpectedMail {
  readonly kind: MailIntent["kind"];
  readonly to: string;
  readonly expiresAt?: number;
}

export const PANELS = ["A", "B"] as const;
export const PEOPLE = 3;

/**
 * A fresh history: a library instance over `store`, two panels with one
 * administrator, and three people nobody has added yet. E-mails are unique
 * per history, so histories can share one database.
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
    },
  );
  const run = randomBytes(5).toString("hex");
  const adminEmail = `admin-${run}@model.test`;
  const panelIds = new Map<string, string>();
  let admin: Actor | null = null;
  for (const key of PANELS) {
    const created = (
      await panelAccess.createPanel({
        actor: { type: "system" },
        name: `Panel ${key}`,
        administratorEmail: adminEmail,
      })
    )._unsafeUnwrap();
    panelIds.set(key, created.panel.id);
    if (admin === null) {
      const link = mailer.last(adminEmail, "invitation")?.link ?? "";
      const token = new URL(link).searchParams.get("token") ?? "";
      (await panelAccess.register({ token, password: "administrator password" }))._unsafeUnwrap();
      admin = { type: "account", accountId: created.administrator.accountId };
    }
  }
  if (admin === null) throw new Error("no administrator");
  const model: Model = {
    now: START.toMillis(),
    panels: PANELS,
    people: Array.from({ length: PEOPLE }, (_, i) => newPerson(`p${i}-${run}@model.test`)),
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
      panelIds,
      accountIds: new Map(),
      mailSeen: mailer.sent.length,
    },
  };
}

/** The token in a link of a message. */
export function tokenIn(link: string): string {
  return new URL(link).searchParams.get("token") ?? "";
}

/**
 * After every command: the messages sent match the model's (kind, recipient,
 * stated expiry), and their links become the model's tokens; every person's
 * status in each panel's User Management and the panels each account can
 * enter match the model.
 */
export async function observe(
  model: Model,
  real: Real,
  expected: readonly ExpectedMail[],
  label: string,
) {
  await real.panelAccess.settled();
  model.steps += 1;
  const fresh = real.mailer.sent.slice(real.mailSeen);
  real.mailSeen = real.mailer.sent.length;
  deepStrictEqual(
    fresh.map((m) => `${m.kind}→${m.to}`),
    expected.map((m) => `${m.kind}→${m.to}`),
    `${label}: the messages sent`,
  );
  for (const [i, message] of fresh.entries())
    learnFrom(model, message, expected[i]?.expiresAt, label);

  for (const key of model.panels) {
    const members = (
      await real.panelAccess.listMembers({
        actor: real.admin,
        panelId: real.panelIds.get(key) ?? "",
      })
    )._unsafeUnwrap();
    const actual = Object.fromEntries(
      members.filter((m) => m.accountId !== adminId(real)).map((m) => [m.email, m.status]),
    );
    const predicted = Object.fromEntries(
      model.people.flatMap((p) => {
        const status = panelStatusOf(p, key, model.now);
        return status === null ? [] : [[p.email, status]];
      }),
    );
    deepStrictEqual(actual, predicted, `${label}: statuses in panel ${key}`);
  }
  for (const p of model.people) {
    const accountId = real.accountIds.get(p.email);
    if (accountId === undefined) continue;
    const live = (await real.panelAccess.getLivePanels({ accountId }))._unsafeUnwrap();
    const panelKey = (id: string) => [...real.panelIds].find(([, v]) => v === id)?.[0];
    deepStrictEqual(
      live.map((l) => panelKey(l.panel.id)).sort(),
      livePanelsOf(p, model.now).sort(),
      `${label}: live panels of ${p.email} (status ${statusOf(p, model.now)})`,
    );
  }
}

const adminId = (real: Real) => (real.admin.type === "account" ? real.admin.accountId : "");

function learnFrom(
  model: Model,
  message: MailIntent,
  expiresAt: number | undefined,
  label: string,
) {
  const person = model.people.find((p) => p.email === message.to);
  if (person === undefined) return;
  const check = (actual: DateTime) => {
    if (expiresAt !== undefined)
      deepStrictEqual(actual.toMillis(), expiresAt, `${label}: the expiry ${message.kind} states`);
  };
  switch (message.kind) {
    case "invitation":
      check(message.expiresAt);
      person.invitations.push({
        token: tokenIn(message.link),
        expiresAt: message.expiresAt.toMillis(),
        used: false,
      });
      return;
    case "passwordReset":
      check(message.expiresAt);
      person.resets.push({
        token: tokenIn(message.link),
        expiresAt: message.expiresAt.toMillis(),
        used: false,
      });
      return;
    case "accountLocked":
      check(message.expiresAt);
      person.resets.push({
        token: tokenIn(message.resetLink),
        expiresAt: message.expiresAt.toMillis(),
        used: false,
      });
      return;
    default:
      return;
  }
}

/** PWD-3: the expiry of a reset link issued now. */
export const resetExpiry = (now: number) => now + RULES.resetValidity;
export { HOUR };
