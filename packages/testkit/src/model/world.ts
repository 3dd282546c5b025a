import { deepStrictEqual } from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  type Actor,
  createPanelAccess,
  type MailIntent,
  type PanelAccess,
  type PasswordHasher,
  type StoragePort,
} from "@panel-access/core";
import { ManualClock, RecordingMailer } from "@panel-access/core/testing";
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
  /** The first administrator (of panels A and B): `administrators[0]`. */
  readonly admin: Actor;
  /** The administrators' actors, by the index of `Model.administrators`. */
  readonly administrators: readonly Actor[];
  /** Their account ids (left out of what User Management shows of the people). */
  readonly administratorIds: ReadonlySet<string>;
  /** Their e-mails, by the same index (ACC-2 v2: a notice names who granted access). */
  readonly administratorEmails: readonly string[];
  /** Model panel key → real panel id. */
  readonly panelIds: ReadonlyMap<string, string>;
  /** E-mail → account id, once the account exists. */
  readonly accountIds: Map<string, string>;
  /** How many messages of `mailer.sent` the model has accounted for. */
  mailSeen: number;
}

/** The instant every history starts at. */
export const START = DateTime.fromISO("2026-03-02T08:00:00.000Z", { zone: "utc" });

/** A message the model expects from one command: to whom, which kind, and what it must state. */
export interface ExpectedMail {
  readonly kind: MailIntent["kind"];
  readonly to: string;
  /** The expiry it states (a link's, or how long a browser is remembered). */
  readonly expiresAt?: number;
  /** The panel it names (model key); `null`: it names none (the support team's 2FA reset). */
  readonly panel?: string | null;
  /** ACC-2 v2: who granted the access (an administrator's e-mail). */
  readonly grantedBy?: string;
}

export const PANELS = ["A", "B", "C"] as const;
/**
 * TFA-8 v2: who administers what. The first administrator created A and B;
 * the second created C and was made an administrator of B. So each reaches a
 * panel the other does not, and B has two administrators (PNL-6 still holds
 * everywhere: the model never changes an administrator's membership).
 */
export const ADMINISTRATORS: readonly (readonly (typeof PANELS)[number][])[] = [
  ["A", "B"],
  ["B", "C"],
];
export const PEOPLE = 3;

/** The first administrator of a panel (the one the model's administrative commands act as). */
export function administratorOf(model: Readonly<Model>, panel: string): number {
  const index = model.administrators.findIndex((panels) => panels.includes(panel));
  if (index < 0) throw new Error(`nobody administers panel ${panel}`);
  return index;
}

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
    },
  );
  const run = randomBytes(5).toString("hex");
  const adminEmails = ADMINISTRATORS.map((_, i) => `admin${i}-${run}@model.test`);
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
  for (const [i, panels] of ADMINISTRATORS.entries()) {
    for (const key of panels) {
      const creator = ADMINISTRATORS.findIndex((ps) => ps.includes(key));
      const by = administrators[creator];
      if (creator === i || by === undefined) continue;
      (
        await panelAccess.addMember({
          actor: by,
          panelId: panelIds.get(key) ?? "",
          email: adminEmails[i] ?? "",
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
      administrators,
      administratorIds: new Set(
        administrators.map((a) => (a.type === "account" ? a.accountId : "")),
      ),
      administratorEmails: adminEmails,
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
  // Messages of one unit of work go out in no promised order: compared as a multiset.
  const address = (m: { kind: string; to: string }) => `${m.kind}→${m.to}`;
  deepStrictEqual(
    fresh.map(address).sort(),
    expected.map(address).sort(),
    `${label}: the messages sent`,
  );
  const unmatched = [...expected];
  for (const message of fresh) {
    const i = unmatched.findIndex((e) => address(e) === address(message));
    const [matching] = unmatched.splice(i, 1);
    learnFrom(model, real, message, matching, label);
  }

  for (const key of model.panels) {
    const members = (
      await real.panelAccess.listMembers({
        actor: real.administrators[administratorOf(model, key)] ?? real.admin,
        panelId: real.panelIds.get(key) ?? "",
      })
    )._unsafeUnwrap();
    const actual = Object.fromEntries(
      members
        .filter((m) => !real.administratorIds.has(m.accountId))
        .map((m) => [m.email, m.status]),
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
    deepStrictEqual(
      live.map((l) => panelKey(real, l.panel.id)).sort(),
      livePanelsOf(p, model.now).sort(),
      `${label}: live panels of ${p.email} (status ${statusOf(p, model.now)})`,
    );
  }
}

/** The model's key of a real panel id. */
export const panelKey = (real: Real, id: string) =>
  [...real.panelIds].find(([, v]) => v === id)?.[0];

/** Learns the links a message carries, and checks what it states against the model. */
function learnFrom(
  model: Model,
  real: Real,
  message: MailIntent,
  expected: ExpectedMail | undefined,
  label: string,
) {
  const person = model.people.find((p) => p.email === message.to);
  if (person === undefined) return;
  const check = (actual: DateTime) => {
    if (expected?.expiresAt !== undefined)
      deepStrictEqual(
        actual.toMillis(),
        expected.expiresAt,
        `${label}: the expiry ${message.kind} states`,
      );
  };
  const checkPanel = (panel: { readonly id: string } | null) => {
    if (expected?.panel !== undefined)
      deepStrictEqual(
        panel === null ? null : panelKey(real, panel.id),
        expected.panel,
        `${label}: the panel ${message.kind} names`,
      );
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
    case "browserRemembered":
      check(message.until);
      return;
    case "accessGranted":
      checkPanel(message.panel);
      if (expected?.grantedBy !== undefined)
        deepStrictEqual(message.grantedBy, expected.grantedBy, `${label}: who granted access`);
      return;
    case "accessRestored":
    case "twoFactorReset":
      checkPanel(message.panel);
      return;
    default:
      return;
  }
}

/** PWD-3: the expiry of a reset link issued now. */
export const resetExpiry = (now: number) => now + RULES.resetValidity;
export { HOUR };
