import { randomBytes } from "node:crypto";
import { TOTP, URI } from "otpauth";
import { addSession, ModelCommand, outcomeOf, personOf, same, who } from "./command-kit.js";
import { failureMail } from "./login-kit.js";
import {
  challengeUsable,
  completeLogin,
  countFailure,
  type Model,
  type ModelChallenge,
  type ModelPerson,
  RULES,
  statusOf,
  stepAt,
} from "./state.js";
import { type ExpectedMail, observe, type Real } from "./world.js";

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
