/**
 * The reference model: the rules of RULES.md restated as small, obviously
 * correct functions over plain data (milliseconds, arrays, flags). It is
 * written from the rules, not from the core's code: where the two disagree,
 * one of them is wrong, and the model-based check says where.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The rule constants (RULES.md defaults, which the check runs with). */
export const RULES = {
  /** ACC-3 */
  invitationValidity: 7 * DAY,
  /** LCK-1 */
  lockoutThreshold: 6,
  /** LCK-5 */
  locksBeforeBlock: 3,
  /** PWD-3 */
  resetValidity: HOUR,
  /** PWD-5: reset links (forgot-password or lock) per account in `resetLimitWindow` at most. */
  resetLimit: 3,
  resetLimitWindow: HOUR,
  /** TFA-12 */
  challengeValidity: 10 * MINUTE,
  /** TFA-7 */
  rememberBrowserFor: 7 * DAY,
  /** SES-1 (NIST AAL2 defaults of the library) */
  sessionIdle: 30 * MINUTE,
  sessionAbsolute: 12 * HOUR,
  /** SES-3: a check records the use only once the recorded last use is this old. */
  sessionLastUseInterval: MINUTE,
  /** TFA-10: RFC 6238 steps of 30 s, one step either side. */
  totpPeriod: 30_000,
} as const;

/** PNL-1 */
export type ModelAccess =
  | { readonly type: "permanent" }
  | { readonly type: "temporary"; readonly endsAt: number };

export interface ModelMembership {
  readonly role: string;
  readonly access: ModelAccess;
}

/** A single-use token the system handed out (by mail or in an answer), as the model tracks it. */
export interface ModelToken {
  readonly token: string;
  readonly expiresAt: number;
  used: boolean;
}

export interface ModelChallenge extends ModelToken {
  /** TFA-1 setup, or TFA-3 second step. */
  readonly stage: "setup" | "verify";
}

export interface ModelSession {
  readonly token: string;
  readonly createdAt: number;
  /** The recorded last use (SES-3): idle expiry counts from it. */
  lastUsedAt: number;
  /** The last successful check, recorded or not: for coverage only. */
  lastSeenAt: number;
  revoked: boolean;
}

/** What the model knows of one person: account facts, links, 2FA, browsers and sessions. */
export interface ModelPerson {
  readonly email: string;
  exists: boolean;
  registered: boolean;
  password: string | null;
  readonly memberships: Map<string, ModelMembership>;
  /** LCK-1, LCK-5 */
  failures: number;
  /**
   * LCK-1 v2: a correct password was entered while failures were counted, and
   * the count went on (version 1 zeroed it). For coverage only.
   */
  passwordKeptCount: boolean;
  locks: number;
  locked: boolean;
  blocked: boolean;
  /** ACC-4: the last one is the latest. */
  readonly invitations: ModelToken[];
  /** PWD-3: the last one is the latest. */
  readonly resets: ModelToken[];
  readonly challenges: ModelChallenge[];
  twoFactor: "none" | "pending" | "enrolled";
  /** The otpauth URI of the pending or enrolled secret. */
  totpUri: string | null;
  /** TFA-10: the last accepted time step. */
  lastStep: number | null;
  backupCodes: { readonly code: string; used: boolean }[];
  /** TFA-7 */
  browsers: { readonly token: string; readonly expiresAt: number; forgotten: boolean }[];
  readonly sessions: ModelSession[];
}

/** The reference model's state of one history: the time, the panels and the people. */
export interface Model {
  now: number;
  readonly panels: readonly string[];
  /**
   * The administrators of the world (none of them is one of `people`): the
   * panels each administers, by index. TFA-8 v2 needs two whose panels differ.
   */
  readonly administrators: readonly (readonly string[])[];
  readonly people: ModelPerson[];
  /** Commands run in this history. */
  steps: number;
  /** Milestones this history reached ("locked", "enrolled", "register: INVITATION_EXPIRED"…), for coverage. */
  readonly reached: Set<string>;
}

export function newPerson(email: string): ModelPerson {
  return {
    email,
    exists: false,
    registered: false,
    password: null,
    memberships: new Map(),
    failures: 0,
    passwordKeptCount: false,
    locks: 0,
    locked: false,
    blocked: false,
    invitations: [],
    resets: [],
    challenges: [],
    twoFactor: "none",
    totpUri: null,
    lastStep: null,
    backupCodes: [],
    browsers: [],
    sessions: [],
  };
}

/** PNL-1: "a thing that expires at t is expired when now >= t". */
export const isLive = (access: ModelAccess, now: number): boolean =>
  access.type === "permanent" || now < access.endsAt;

/** The account status of RULES.md, as the model computes it. */
export type ModelStatus = "unregistered" | "active" | "locked" | "permanentlyBlocked" | "expired";

/** Account status with the precedence of RULES.md: blocked > locked > unregistered > expired > active. */
export function statusOf(p: ModelPerson, now: number): ModelStatus {
  if (p.blocked) return "permanentlyBlocked";
  if (p.locked) return "locked";
  if (!p.registered) return "unregistered";
  return [...p.memberships.values()].some((m) => isLive(m.access, now)) ? "active" : "expired";
}

/** What User Management of one panel shows: the same precedence, with only that panel's membership. */
export function panelStatusOf(p: ModelPerson, panel: string, now: number): ModelStatus | null {
  const membership = p.memberships.get(panel);
  if (membership === undefined) return null;
  if (p.blocked) return "permanentlyBlocked";
  if (p.locked) return "locked";
  if (!p.registered) return "unregistered";
  return isLive(membership.access, now) ? "active" : "expired";
}

/** PNL-7: the panels an account can enter now (none unless it is active). */
export function livePanelsOf(p: ModelPerson, now: number): string[] {
  if (statusOf(p, now) !== "active") return [];
  return [...p.memberships.entries()]
    .filter(([, m]) => isLive(m.access, now))
    .map(([panel]) => panel);
}

/** ACC-3: min(sent + 7 days, end of the longest-lived live access); permanent wins. `null`: nothing live. */
export function invitationExpiry(p: ModelPerson, now: number): number | null {
  let longest: number | null = null;
  for (const { access } of p.memberships.values()) {
    if (!isLive(access, now)) continue;
    if (access.type === "permanent") return now + RULES.invitationValidity;
    longest = Math.max(longest ?? 0, access.endsAt);
  }
  return longest === null ? null : Math.min(now + RULES.invitationValidity, longest);
}

/**
 * ACC-4, ACC-6, and the decision that a link never outlives the access it
 * grants. Reasons in order: used, superseded, expired, revoked.
 */
export function invitationRefusal(p: ModelPerson, link: ModelToken, now: number): string | null {
  if (link.used) return "INVITATION_USED";
  if (p.invitations.at(-1) !== link) return "INVITATION_SUPERSEDED";
  if (now >= link.expiresAt) return "INVITATION_EXPIRED";
  if (p.memberships.size === 0) return "INVITATION_REVOKED";
  if (![...p.memberships.values()].some((m) => isLive(m.access, now))) return "INVITATION_EXPIRED";
  return null;
}

/** PWD-3 and LCK-5: used, superseded, expired, then a blocked account. */
export function resetRefusal(p: ModelPerson, link: ModelToken, now: number): string | null {
  if (link.used) return "RESET_LINK_USED";
  if (p.resets.at(-1) !== link) return "RESET_LINK_SUPERSEDED";
  if (now >= link.expiresAt) return "RESET_LINK_EXPIRED";
  if (p.blocked) return "ACCOUNT_BLOCKED";
  return null;
}

/** What a counted failure led to (LCK-1, LCK-2, LCK-5). */
export type FailureOutcome = "counted" | "locked" | "blocked";

/** LCK-1, LCK-6: one more failure in a row; the 6th locks; the 3rd lock in a row blocks. */
export function countFailure(p: ModelPerson): FailureOutcome {
  p.failures += 1;
  if (p.failures < RULES.lockoutThreshold) return "counted";
  p.locks += 1;
  p.locked = true;
  if (p.locks < RULES.locksBeforeBlock) return "locked";
  p.blocked = true;
  revokeSessions(p); // SES-2
  return "blocked";
}

/**
 * LCK-1 v2, LCK-5: a complete login (every factor, or a remembered browser
 * standing in for the second) zeroes the count and ends the row of locks.
 * A correct password alone changes neither.
 */
export function completeLogin(p: ModelPerson): void {
  p.failures = 0;
  p.passwordKeptCount = false;
  p.locks = 0;
}

/** LCK-4: a password reset unlocks and zeroes the count; the row of locks goes on. */
export function afterPasswordReset(p: ModelPerson): void {
  p.failures = 0;
  p.passwordKeptCount = false;
  p.locked = false;
}

/**
 * TFA-8 v2: an administrator may reset a person's 2FA only when they
 * administer every panel in which the person holds a membership, live or
 * ended (ended access can be restored at once, PNL-3); a removed one is gone.
 */
export function administersEveryPanelOf(p: ModelPerson, administered: readonly string[]): boolean {
  return [...p.memberships.keys()].every((panel) => administered.includes(panel));
}

/**
 * TFA-8 (an administrator's reset, or the support team's): the enrolment,
 * backup codes, remembered browsers, open login challenges and every session
 * end; the next login asks for a new setup (TFA-1).
 */
export function wipeTwoFactor(p: ModelPerson): void {
  p.twoFactor = "none";
  p.totpUri = null;
  p.lastStep = null;
  p.backupCodes = [];
  for (const b of p.browsers) b.forgotten = true;
  for (const c of p.challenges) c.used = true;
  revokeSessions(p);
}

/** SES-2 */
export function revokeSessions(p: ModelPerson): void {
  for (const s of p.sessions) s.revoked = true;
}

/** SES-1: usable while not revoked, within the idle and the absolute limit, for an active account. */
export function sessionUsable(p: ModelPerson, s: ModelSession, now: number): boolean {
  return (
    !s.revoked &&
    now < s.createdAt + RULES.sessionAbsolute &&
    now < s.lastUsedAt + RULES.sessionIdle &&
    statusOf(p, now) === "active"
  );
}

/**
 * SES-3: a check that finds the session usable records the use only when the
 * recorded one is at least the interval old; younger, it records nothing.
 */
export function recordSessionUse(s: ModelSession, now: number): void {
  s.lastSeenAt = now;
  if (now >= s.lastUsedAt + RULES.sessionLastUseInterval) s.lastUsedAt = now;
}

/** TFA-12: a challenge works once, before it expires. */
export const challengeUsable = (c: ModelChallenge, now: number): boolean =>
  !c.used && now < c.expiresAt;

/** The RFC 6238 time step of an instant. */
export const stepAt = (now: number): number => Math.floor(now / RULES.totpPeriod);
