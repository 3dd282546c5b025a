import { randomBytes } from "node:crypto";
import { TOTP, URI } from "otpauth";
import {
  addSession,
  describeDuration,
  ModelCommand,
  outcomeOf,
  personOf,
  same,
  who,
} from "./command-kit.js";
import {
  afterPasswordReset,
  challengeUsable,
  completeLogin,
  countFailure,
  type FailureOutcome,
  invitationRefusal,
  livePanelsOf,
  type Model,
  type ModelChallenge,
  type ModelPerson,
  RULES,
  resetRefusal,
  revokeSessions,
  sessionUsable,
  statusOf,
  stepAt,
} from "./state.js";
import { type ExpectedMail, observe, type Real, resetExpiry } from "./world.js";

const WRONG_PASSWORD = "not the password";

/**
 * PWD-1 v2: a new password as typed on a keyboard that gives compatibility
 * characters (full-width letters). Logins type its NFKC form, which must be
 * the same password. Its words are on no list of common passwords, so the
 * library's default screen accepts it (PWD-6).
 */
const newPassword = (prefix: string) =>
  `${prefix} ${randomBytes(4).toString("hex")}`.replace(/[a-z]/g, (c) =>
    String.fromCharCode(c.charCodeAt(0) - 0x61 + 0xff41),
  );

/** LCK-2, LCK-5: the message a counted failure sends. */
function failureMail(
  p: ModelPerson,
  outcome: FailureOutcome,
  now: number,
  m: Model,
): ExpectedMail[] {
  m.reached.add(`failure: ${outcome}`);
  if (outcome !== "counted" && p.passwordKeptCount)
    m.reached.add(`LCK-1 v2: ${outcome} across a correct password`);
  if (outcome === "locked")
    return [{ kind: "accountLocked", to: p.email, expiresAt: resetExpiry(now) }];
  if (outcome === "blocked") return [{ kind: "accountBlocked", to: p.email }];
  return [];
}

/** ACC-6, ACC-4, ACC-8: register through the latest link, or an older one. */
export class Register extends ModelCommand {
  constructor(
    readonly person: number,
    readonly link: "latest" | "oldest",
  ) {
    super();
  }
  override check(m: Readonly<Model>) {
    return (m.people[this.person]?.invitations.length ?? 0) > 0;
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const link = this.link === "latest" ? p.invitations.at(-1) : p.invitations[0];
    if (link === undefined) throw new Error("check() guarantees a link");
    const password = newPassword("chosen passphrase");
    const refusal = invitationRefusal(p, link, m.now);
    if (refusal === null) {
      link.used = true;
      p.registered = true;
      p.password = password;
    }
    m.reached.add(`register: ${refusal ?? "ok"}`);
    const result = await r.panelAccess.register({ token: link.token, password });
    same(outcomeOf(result), refusal ?? "ok", `${this}: outcome`);
    await observe(m, r, [], this.toString());
  }
  toString() {
    return `register(${who(this.person)}, ${this.link} link)`;
  }
}

/** LCK-1 to LCK-8, TFA-1, TFA-3, TFA-7: the password step. */
export class Login extends ModelCommand {
  constructor(
    readonly person: number,
    readonly rightPassword: boolean,
    readonly browser: "none" | "latest" | "oldest",
  ) {
    super();
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const browser =
      this.browser === "none"
        ? undefined
        : this.browser === "latest"
          ? p.browsers.at(-1)
          : p.browsers[0];
    const password = this.rightPassword
      ? (p.password ?? "never registered").normalize("NFKC")
      : WRONG_PASSWORD;
    let expected = "LOGIN_FAILED";
    let next: string | null = null;
    let mail: ExpectedMail[] = [];
    if (p.exists && statusOf(p, m.now) === "active") {
      if (!this.rightPassword) mail = failureMail(p, countFailure(p), m.now, m);
      else {
        expected = "ok";
        // LCK-1 v2: the count stays until the login completes.
        if (p.failures > 0) p.passwordKeptCount = true;
        if (
          p.twoFactor === "enrolled" &&
          browser !== undefined &&
          !browser.forgotten &&
          m.now < browser.expiresAt
        )
          next = "done";
        else next = p.twoFactor === "enrolled" ? "secondFactor" : "secondFactorSetup";
      }
    }
    const result = await r.panelAccess.login({
      email: p.email,
      password,
      ...(browser && { rememberedBrowserToken: browser.token }),
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    if (result.isOk()) {
      const step = result.value;
      same(step.next, next, `${this}: what comes next`);
      m.reached.add(`login: ${step.next}`);
      if (step.next === "done") {
        completeLogin(p);
        addSession(p, step.session.sessionToken, m.now);
      } else {
        const stage = step.next === "secondFactorSetup" ? "setup" : "verify";
        p.challenges.push({
          token: step.challenge,
          expiresAt: m.now + RULES.challengeValidity,
          used: false,
          stage,
        });
        same(
          step.challengeExpiresAt.toMillis(),
          m.now + RULES.challengeValidity,
          `${this}: challenge expiry`,
        );
        if (step.next === "secondFactorSetup") {
          p.twoFactor = "pending";
          p.totpUri = step.setup.uri;
        }
      }
    }
    await observe(m, r, mail, this.toString());
  }
  toString() {
    const browser = this.browser === "none" ? "" : `, ${this.browser} remembered browser`;
    return `login(${who(this.person)}, ${this.rightPassword ? "right" : "wrong"} password${browser})`;
  }
}

/** The TOTP codes the person's phone shows. */
function phone(p: ModelPerson) {
  if (p.totpUri === null) return null;
  const otp = URI.parse(p.totpUri);
  if (!(otp instanceof TOTP)) throw new Error("not a TOTP URI");
  return (step: number) => otp.generate({ timestamp: step * RULES.totpPeriod });
}

/** A 6-digit code that matches no step within one of `step` (TFA-10's window). */
function wrongCode(p: ModelPerson, step: number): string {
  const codeAt = phone(p);
  const near = codeAt ? [codeAt(step - 1), codeAt(step), codeAt(step + 1)] : [];
  for (let n = 0; ; n++) {
    const candidate = String(
      (Number.parseInt(randomBytes(3).toString("hex"), 16) + n) % 1_000_000,
    ).padStart(6, "0");
    if (!near.includes(candidate)) return candidate;
  }
}

/**
 * What a completed second step adds: a session, perhaps a remembered browser
 * (TFA-7), and the notice of that browser (MAIL-3), which it answers.
 */
function completed(
  p: ModelPerson,
  now: number,
  value: {
    session: { sessionToken: string };
    rememberedBrowser: { rememberedBrowserToken: string } | null;
  },
): ExpectedMail[] {
  completeLogin(p);
  addSession(p, value.session.sessionToken, now);
  if (value.rememberedBrowser === null) return [];
  const expiresAt = now + RULES.rememberBrowserFor;
  p.browsers.push({
    forgotten: false,
    token: value.rememberedBrowser.rememberedBrowserToken,
    expiresAt,
  });
  return [{ kind: "browserRemembered", to: p.email, expiresAt }];
}

/** The person's newest challenge of a stage (TFA-12): the one the page would hold. */
function latestChallenge(p: ModelPerson | undefined, stage: "setup" | "verify") {
  return p?.challenges.filter((c) => c.stage === stage).at(-1);
}

/**
 * Whether a second step reaches the code check: a live challenge, an active
 * account, and 2FA in the state the stage needs. Otherwise it is refused
 * without counting a failure.
 */
function secondStepOpen(p: ModelPerson, challenge: ModelChallenge, now: number): boolean {
  const needed = challenge.stage === "setup" ? "pending" : "enrolled";
  return challengeUsable(challenge, now) && statusOf(p, now) === "active" && p.twoFactor === needed;
}

/** TFA-1, TFA-2, TFA-10, LCK-6: confirm the setup with the phone's current code, or a wrong one. */
export class CompleteSetup extends ModelCommand {
  constructor(
    readonly person: number,
    readonly rightCode: boolean,
    readonly remember: boolean,
  ) {
    super();
  }
  override check(m: Readonly<Model>) {
    return latestChallenge(m.people[this.person], "setup") !== undefined;
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const challenge = latestChallenge(p, "setup");
    if (challenge === undefined) throw new Error("check() guarantees a challenge");
    const step = stepAt(m.now);
    const codeAt = phone(p);
    const code = this.rightCode && codeAt ? codeAt(step) : wrongCode(p, step);
    let expected = "LOGIN_FAILED";
    let mail: ExpectedMail[] = [];
    const usable = secondStepOpen(p, challenge, m.now);
    const accepted =
      usable && this.rightCode && codeAt !== null && (p.lastStep === null || step > p.lastStep);
    if (usable && !accepted) mail = failureMail(p, countFailure(p), m.now, m);
    if (accepted) expected = "ok";
    const result = await r.panelAccess.completeTwoFactorSetup({
      challenge: challenge.token,
      code,
      rememberBrowser: this.remember,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    if (result.isOk()) {
      m.reached.add("setup: ok");
      challenge.used = true;
      p.twoFactor = "enrolled";
      p.lastStep = step;
      p.backupCodes = result.value.backupCodes.map((c) => ({ code: c, used: false }));
      // MAIL-3: 2FA set up, and perhaps a browser remembered.
      mail = [{ kind: "twoFactorEnabled", to: p.email }, ...completed(p, m.now, result.value)];
    }
    await observe(m, r, mail, this.toString());
  }
  toString() {
    return `completeTwoFactorSetup(${who(this.person)}, ${this.rightCode ? "current" : "wrong"} code${this.remember ? ", remember browser" : ""})`;
  }
}

export type SecondFactorKind =
  | "totp"
  | "previousTotp"
  | "replayedTotp"
  | "wrongTotp"
  | "backup"
  | "usedBackup"
  | "wrongBackup";

/** TFA-3, TFA-5, TFA-10, TFA-12, LCK-6: the second step with a code of some kind. */
export class SecondFactor extends ModelCommand {
  constructor(
    readonly person: number,
    readonly kind: SecondFactorKind,
    readonly remember: boolean,
  ) {
    super();
  }
  override check(m: Readonly<Model>) {
    return latestChallenge(m.people[this.person], "verify") !== undefined;
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const challenge = latestChallenge(p, "verify");
    if (challenge === undefined) throw new Error("check() guarantees a challenge");
    const now = stepAt(m.now);
    const codeAt = phone(p);
    const unusedBackup = p.backupCodes.find((c) => !c.used);
    const usedBackup = p.backupCodes.find((c) => c.used);
    let code: string;
    let totpStep: number | null = null;
    let backup: { code: string; used: boolean } | undefined;
    switch (this.kind) {
      case "totp":
      case "previousTotp":
      case "replayedTotp": {
        const step =
          this.kind === "totp" ? now : this.kind === "previousTotp" ? now - 1 : (p.lastStep ?? now);
        totpStep = codeAt && step >= now - 1 ? step : null;
        code = codeAt ? codeAt(step) : wrongCode(p, now);
        break;
      }
      case "backup":
        backup = unusedBackup;
        code = backup?.code ?? randomBackupCode();
        break;
      case "usedBackup":
        code = usedBackup?.code ?? randomBackupCode();
        break;
      default:
        code = this.kind === "wrongTotp" ? wrongCode(p, now) : randomBackupCode();
    }
    const usable = secondStepOpen(p, challenge, m.now);
    const accepted =
      usable &&
      ((totpStep !== null && (p.lastStep === null || totpStep > p.lastStep)) ||
        backup !== undefined);
    let mail: ExpectedMail[] = [];
    if (usable && !accepted) mail = failureMail(p, countFailure(p), m.now, m);
    const result = await r.panelAccess.verifySecondFactor({
      challenge: challenge.token,
      code,
      rememberBrowser: this.remember,
    });
    same(outcomeOf(result), accepted ? "ok" : "LOGIN_FAILED", `${this}: outcome`);
    m.reached.add(
      `second factor: ${this.kind} ${accepted ? "accepted" : usable ? "refused" : "dead challenge"}`,
    );
    if (result.isOk()) {
      challenge.used = true;
      if (totpStep !== null) p.lastStep = totpStep;
      if (backup !== undefined) backup.used = true;
      same(
        result.value.backupCodesLeft,
        backup === undefined ? null : p.backupCodes.filter((c) => !c.used).length,
        `${this}: backup codes left`,
      );
      mail = completed(p, m.now, result.value);
    }
    await observe(m, r, mail, this.toString());
  }
  toString() {
    return `verifySecondFactor(${who(this.person)}, ${this.kind}${this.remember ? ", remember browser" : ""})`;
  }
}

/** 16 Crockford base32 symbols that are not one of anyone's codes (80 random bits). */
function randomBackupCode(): string {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  return [...randomBytes(16)].map((b) => alphabet[b % 32]).join("");
}

/** PWD-2: a reset link for a registered account that is not blocked; the same answer for everyone. */
export class ForgotPassword extends ModelCommand {
  constructor(readonly person: number) {
    super();
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    // PWD-5: links issued in the last window (a lock's link too) count; past the limit nothing is sent.
    const since = m.now - RULES.resetLimitWindow;
    const recent = p.resets.filter((l) => l.expiresAt - RULES.resetValidity >= since).length;
    const mail: ExpectedMail[] =
      p.exists && p.registered && !p.blocked && recent < RULES.resetLimit
        ? [{ kind: "passwordReset", to: p.email, expiresAt: resetExpiry(m.now) }]
        : [];
    if (p.exists && p.registered && !p.blocked && recent >= RULES.resetLimit) {
      m.reached.add("PWD-5: reset mail limited");
    }
    const result = await r.panelAccess.forgotPassword({ email: p.email });
    same(outcomeOf(result), "ok", `${this}: outcome`);
    await observe(m, r, mail, this.toString());
  }
  toString() {
    return `forgotPassword(${who(this.person)})`;
  }
}

/** PWD-3, PWD-4, LCK-4, LCK-5: a new password through the latest reset link, or an older one. */
export class ResetPassword extends ModelCommand {
  constructor(
    readonly person: number,
    readonly link: "latest" | "oldest",
  ) {
    super();
  }
  override check(m: Readonly<Model>) {
    return (m.people[this.person]?.resets.length ?? 0) > 0;
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const link = this.link === "latest" ? p.resets.at(-1) : p.resets[0];
    if (link === undefined) throw new Error("check() guarantees a link");
    const password = newPassword("new passphrase");
    const refusal = resetRefusal(p, link, m.now);
    const mail: ExpectedMail[] = [];
    if (refusal === null) {
      link.used = true;
      p.password = password;
      afterPasswordReset(p);
      for (const c of p.challenges) c.used = true;
      revokeSessions(p);
      mail.push({ kind: "passwordChanged", to: p.email }); // MAIL-3
    }
    m.reached.add(`reset: ${refusal ?? "ok"}`);
    const result = await r.panelAccess.resetPassword({ token: link.token, password });
    same(outcomeOf(result), refusal ?? "ok", `${this}: outcome`);
    await observe(m, r, mail, this.toString());
  }
  toString() {
    return `resetPassword(${who(this.person)}, ${this.link} link)`;
  }
}

/** SES-1, SES-2, PNL-7: every session token the person ever got: valid or not, and what it reaches. */
export class CheckSessions extends ModelCommand {
  constructor(readonly person: number) {
    super();
  }
  override check(m: Readonly<Model>) {
    return (m.people[this.person]?.sessions.length ?? 0) > 0;
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    for (const [i, s] of p.sessions.entries()) {
      const usable = sessionUsable(p, s, m.now);
      const result = await r.panelAccess.validateSession({ sessionToken: s.token });
      same(outcomeOf(result), usable ? "ok" : "SESSION_INVALID", `${this}: session ${i}`);
      m.reached.add(`session: ${usable ? "valid" : "invalid"}`);
      if (result.isOk()) {
        s.lastUsedAt = m.now;
        const keys = result.value.panels.map(
          (l) => [...r.panelIds].find(([, id]) => id === l.panel.id)?.[0],
        );
        same(keys.sort(), livePanelsOf(p, m.now).sort(), `${this}: panels session ${i} reaches`);
      }
    }
    await observe(m, r, [], this.toString());
  }
  toString() {
    return `validateSession(every session of ${who(this.person)})`;
  }
}

/** SES-2: logout ends the newest session still open. */
export class Logout extends ModelCommand {
  constructor(readonly person: number) {
    super();
  }
  override check(m: Readonly<Model>) {
    return m.people[this.person]?.sessions.some((s) => !s.revoked) ?? false;
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const session = p.sessions.filter((s) => !s.revoked).at(-1);
    if (session === undefined) throw new Error("check() guarantees a session");
    session.revoked = true;
    const result = await r.panelAccess.logout({ sessionToken: session.token });
    same(outcomeOf(result), "ok", `${this}: outcome`);
    await observe(m, r, [], this.toString());
  }
  toString() {
    return `logout(${who(this.person)})`;
  }
}

/** Time passes (only through the clock port). */
export class AdvanceClock extends ModelCommand {
  constructor(readonly ms: number) {
    super();
  }
  async run(m: Model, r: Real) {
    m.now += this.ms;
    r.clock.advance({ milliseconds: this.ms });
    await observe(m, r, [], this.toString());
  }
  toString() {
    return `advanceClock(+${describeDuration(this.ms)})`;
  }
}

/** LCK-1, LCK-2, LCK-5, LCK-7: `count` wrong passwords in a row (a guesser at work). */
export class WrongPasswords extends ModelCommand {
  constructor(
    readonly person: number,
    readonly count: number,
  ) {
    super();
  }
  async run(m: Model, r: Real) {
    for (let i = 0; i < this.count; i++) await new Login(this.person, false, "none").run(m, r);
  }
  toString() {
    return `${this.count} × login(${who(this.person)}, wrong password)`;
  }
}

/** LCK-2, LCK-4, LCK-5: locked by six wrong passwords, then reopened through the latest reset link (a row of locks). */
export class LockAndReset extends ModelCommand {
  constructor(readonly person: number) {
    super();
  }
  async run(m: Model, r: Real) {
    await new WrongPasswords(this.person, RULES.lockoutThreshold).run(m, r);
    if ((m.people[this.person]?.resets.length ?? 0) > 0)
      await new ResetPassword(this.person, "latest").run(m, r);
  }
  toString() {
    return `lockAndReset(${who(this.person)}: 6 wrong passwords, then the latest reset link)`;
  }
}

/** The session a person's settings page would use: the newest still open, else the newest. */
function settingsSession(p: ModelPerson) {
  return p.sessions.filter((s) => !s.revoked).at(-1) ?? p.sessions.at(-1);
}

/** TFA-6, LCK-1: new backup codes after the password; the old set stops working. A wrong password counts. */
export class RegenerateBackupCodes extends ModelCommand {
  constructor(
    readonly person: number,
    readonly rightPassword: boolean,
  ) {
    super();
  }
  override check(m: Readonly<Model>) {
    return (m.people[this.person]?.sessions.length ?? 0) > 0;
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const session = settingsSession(p);
    if (session === undefined) throw new Error("check() guarantees a session");
    let expected = "SESSION_INVALID";
    let mail: ExpectedMail[] = [];
    if (sessionUsable(p, session, m.now)) {
      expected = this.rightPassword ? "ok" : "LOGIN_FAILED";
      if (!this.rightPassword) mail = failureMail(p, countFailure(p), m.now, m);
    }
    const result = await r.panelAccess.regenerateBackupCodes({
      sessionToken: session.token,
      password: this.rightPassword ? (p.password ?? "") : WRONG_PASSWORD,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    m.reached.add(`regenerateBackupCodes: ${expected}`);
    if (result.isOk()) {
      p.backupCodes = result.value.backupCodes.map((code) => ({ code, used: false }));
      mail = [{ kind: "backupCodesRegenerated", to: p.email }]; // MAIL-3
    }
    await observe(m, r, mail, this.toString());
  }
  toString() {
    return `regenerateBackupCodes(${who(this.person)}, ${this.rightPassword ? "right" : "wrong"} password)`;
  }
}

/** TFA-13: forget the newest remembered browser, or all of them; they stop skipping the code. */
export class ForgetBrowsers extends ModelCommand {
  constructor(
    readonly person: number,
    readonly which: "newest" | "all",
  ) {
    super();
  }
  override check(m: Readonly<Model>) {
    return (m.people[this.person]?.sessions.length ?? 0) > 0;
  }
  async run(m: Model, r: Real) {
    const { p } = personOf(m, r, this.person);
    const session = settingsSession(p);
    if (session === undefined) throw new Error("check() guarantees a session");
    const newest = p.browsers.filter((b) => !b.forgotten).at(-1);
    const one = this.which === "newest" && newest !== undefined;
    const usable = sessionUsable(p, session, m.now);
    if (usable) for (const b of one ? [newest] : p.browsers) b.forgotten = true;
    const browserId = one ? newest.token.split(".")[0] : undefined;
    const result = await r.panelAccess.forgetRememberedBrowsers({
      sessionToken: session.token,
      ...(browserId && { browserId }),
    });
    same(outcomeOf(result), usable ? "ok" : "SESSION_INVALID", `${this}: outcome`);
    m.reached.add(`forgetBrowsers: ${usable ? "ok" : "SESSION_INVALID"}`);
    await observe(m, r, [], this.toString());
  }
  toString() {
    return `forgetRememberedBrowsers(${who(this.person)}, ${this.which})`;
  }
}
