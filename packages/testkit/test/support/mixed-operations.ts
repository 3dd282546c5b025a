import { MemoryThrottleStore } from "@panel-access/adapter-memory";
import type { CleanupReport } from "@panel-access/core";
import { fastInsecureHasher, type ScriptedAuthenticator } from "@panel-access/testkit";
import { err } from "neverthrow";
import { expect } from "vitest";
import { PASSWORD, resetTokenOf, type World, worldWithPanel } from "./world.js";

/** How long the clock moves after each scenario: 50,000 calls (about 24,700 scenarios) span about 170 days. */
const STEP = { minutes: 10 } as const;
/** Registered members with 2FA; 25 is coprime with the 9 scenarios, so each meets every one. */
const MEMBERS = 25;
/** Members who only log in and leave their sessions to expire: nothing but a cleanup ends those. */
const VISITORS = 5;
/**
 * AUD-2: how long the cleanup keeps audit events (a host passes its
 * `audit.keepFor`), for a store that keeps them: a month, so that they too
 * reach their steady state well within the run.
 */
const KEEP_AUDIT = { keepAuditEventsFor: { days: 30 } };
/** People invited who never register: their invitations are resent again and again. */
const INVITEES = 5;

/** One member as their browser knows them. */
interface Member {
  readonly email: string;
  readonly app: ScriptedAuthenticator;
  password: string;
  browser: string | null;
  sessions: string[];
}

/** One store's size at one moment: records of each kind, and the throttle counters. */
export type RecordCounts = Record<string, number>;

/** What `runMixedOperations` saw. */
export interface MixReport {
  /** After each scenario (before any cleanup): the calls made so far and the counts then. */
  readonly samples: readonly { readonly calls: number; readonly counts: RecordCounts }[];
  /** Records the library never deletes: accounts, panels, memberships, TOTP steps, backup codes. */
  readonly population: number;
  /** How many records every cleanup deleted, together. */
  readonly deleted: number;
  readonly simulatedDays: number;
}

/**
 * Drives the library over a memory store with `calls` public calls in a
 * fixed cycle of 9 scenarios, the clock 10 minutes on after each:
 * logins with 2FA (kept, logged out, from a remembered browser), a wrong
 * password, an unknown e-mail, an invitation resent, a password reset, a
 * member removed and re-invited, logging out everywhere. With
 * `cleanupEvery`, runs `store.cleanup({ now, throttle })` after every that
 * many calls. Deterministic: the same calls in the same order every run.
 */
export async function runMixedOperations(options: {
  readonly calls: number;
  readonly cleanupEvery: number | null;
}): Promise<MixReport> {
  const throttle = new MemoryThrottleStore();
  const w = await worldWithPanel({ passwordHasher: fastInsecureHasher(), throttleStore: throttle });
  const enrol = async (email: string): Promise<Member> => {
    const { app } = await w.enrolled(email);
    return { email, app, password: PASSWORD, browser: null, sessions: [] };
  };
  const members: Member[] = [];
  for (let i = 0; i < MEMBERS; i++) members.push(await enrol(`member-${i}@example.com`));
  const visitors: Member[] = [];
  for (let i = 0; i < VISITORS; i++) visitors.push(await enrol(`visitor-${i}@example.com`));
  const invitees = Array.from({ length: INVITEES }, (_, i) => `invitee-${i}@example.com`);
  for (const email of invitees) await w.invite(email);
  const start = w.clock.now();
  const samples: { calls: number; counts: RecordCounts }[] = [];
  let [calls, deleted, nextCleanup] = [0, 0, options.cleanupEvery ?? Infinity];
  for (let s = 0; calls < options.calls; s++) {
    const scenario = SCENARIOS[s % SCENARIOS.length] as Scenario;
    const member = members[s % MEMBERS] as Member;
    const visitor = visitors[s % VISITORS] as Member;
    calls += await scenario(w, { member, visitor, invitee: invitees[s % INVITEES] as string, s });
    await w.panelAccess.settled();
    w.mailer.clear();
    w.events.clear();
    w.clock.advance(STEP);
    samples.push({ calls, counts: { ...w.store.counts(), throttleCounters: throttle.size } });
    if (calls >= nextCleanup) {
      deleted += total(await w.store.cleanup({ now: w.clock.now(), throttle, ...KEEP_AUDIT }));
      nextCleanup += options.cleanupEvery ?? Infinity;
    }
  }
  const { accounts, panels, memberships, totpSteps, backupCodes } = w.store.counts();
  return {
    samples,
    population: accounts + panels + memberships + totpSteps + backupCodes,
    deleted,
    simulatedDays: w.clock.now().diff(start, "days").days,
  };
}

/** Every record a cleanup deleted, of any kind. */
function total(report: CleanupReport): number {
  return Object.values(report).reduce((all, n) => all + n, 0);
}

/** One scenario: some public calls for one member or invitee; answers how many calls it made. */
type Scenario = (
  w: World,
  who: {
    readonly member: Member;
    readonly visitor: Member;
    readonly invitee: string;
    readonly s: number;
  },
) => Promise<number>;

/** A client address from a few hundred, for the per-address throttle. */
const addressOf = (s: number) => `198.51.100.${s % 250}`;

/**
 * The password step, then a TOTP code, or the member's remembered browser
 * (`fromBrowser`): a session. Answers its calls.
 */
async function logIn(
  w: World,
  member: Member,
  s: number,
  how: { readonly fromBrowser: boolean; readonly rememberBrowser: boolean },
): Promise<number> {
  const browser = how.fromBrowser ? member.browser : null;
  const step = (
    await w.panelAccess.login({
      email: member.email,
      password: member.password,
      clientAddress: addressOf(s),
      ...(browser !== null && { rememberedBrowserToken: browser }),
    })
  )._unsafeUnwrap();
  if (step.next === "done") {
    member.sessions.push(step.session.sessionToken);
    return 1;
  }
  expect(step.next).toBe("secondFactor");
  if (step.next !== "secondFactor") return 1;
  const done = (
    await w.panelAccess.verifySecondFactor({
      challenge: step.challenge,
      code: member.app.code(),
      rememberBrowser: how.rememberBrowser,
      clientAddress: addressOf(s),
    })
  )._unsafeUnwrap();
  member.sessions.push(done.session.sessionToken);
  if (done.rememberedBrowser !== null)
    member.browser = done.rememberedBrowser.rememberedBrowserToken;
  return 2;
}

/** A failed login, answered as every failed login is. */
async function failLogIn(w: World, email: string, s: number): Promise<number> {
  const answer = await w.panelAccess.login({
    email,
    password: "not the password at all",
    clientAddress: addressOf(s),
  });
  expect(answer).toEqual(err({ type: "LOGIN_FAILED" }));
  return 1;
}

const withCode = { fromBrowser: false, rememberBrowser: false } as const;
const fromBrowser = { fromBrowser: true, rememberBrowser: true } as const;

const SCENARIOS: readonly Scenario[] = [
  // a login with 2FA whose session is left to expire
  async (w, { visitor, s }) => logIn(w, visitor, s, withCode),
  // a mistyped password, then the right one
  async (w, { member, s }) =>
    (await failLogIn(w, member.email, s)) + (await logIn(w, member, s, withCode)),
  // a login, a page view, a logout
  async (w, { member, s }) => {
    const made = await logIn(w, member, s, withCode);
    const token = member.sessions.pop() ?? "";
    (await w.panelAccess.validateSession({ sessionToken: token }))._unsafeUnwrap();
    (await w.panelAccess.logout({ sessionToken: token }))._unsafeUnwrap();
    return made + 2;
  },
  // a login from a remembered browser (a new one remembered once it expires)
  async (w, { member, s }) => logIn(w, member, s, fromBrowser),
  // an invitation resent to someone who never registers
  async (w, { invitee }) => {
    (
      await w.panelAccess.resendInvitation({ actor: w.admin, panelId: w.panelId, email: invitee })
    )._unsafeUnwrap();
    return 1;
  },
  // someone trying an e-mail nobody has, a new one each time
  async (w, { s }) => failLogIn(w, `stranger-${s}@example.net`, s),
  // forgot password, then a new one from the e-mailed link (ends every session)
  async (w, { member, s }) => {
    (
      await w.panelAccess.forgotPassword({ email: member.email, clientAddress: addressOf(s) })
    )._unsafeUnwrap();
    await w.panelAccess.settled();
    member.password = `${PASSWORD} ${s}`;
    const token = resetTokenOf(w, member.email);
    (await w.panelAccess.resetPassword({ token, password: member.password }))._unsafeUnwrap();
    member.sessions = [];
    return 2;
  },
  // removed from the panel, then re-invited (restored at once: registered)
  async (w, { member }) => {
    const where = { actor: w.admin, panelId: w.panelId, email: member.email };
    (await w.panelAccess.removeMember(where))._unsafeUnwrap();
    (
      await w.panelAccess.reinviteMember({
        ...where,
        role: "analyst",
        access: { type: "permanent" },
      })
    )._unsafeUnwrap();
    member.sessions = [];
    return 2;
  },
  // a login, then logging out everywhere
  async (w, { member, s }) => {
    const made = await logIn(w, member, s, fromBrowser);
    const token = member.sessions.pop() ?? "";
    (await w.panelAccess.logoutEverywhere({ sessionToken: token }))._unsafeUnwrap();
    member.sessions = [];
    return made + 1;
  },
];
