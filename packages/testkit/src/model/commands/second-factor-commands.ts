import { randomBytes } from "node:crypto";
import { TOTP, URI } from "otpauth";
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
} from "../state.js";
import type { ExpectedMail } from "../world/expected-mail.js";
import { observe } from "../world/observe.js";
import type { Real } from "../world.js";
import { addSession, ModelCommand, outcomeOf, personOf, same, who } from "./command-kit.js";
import { failureMail } from "./login-kit.js";

/** The TOTP codes the person's phone shows. */
function phone(person: ModelPerson) {
  if (person.totpUri === null) return null;
  const otp = URI.parse(person.totpUri);
  if (!(otp instanceof TOTP)) throw new Error("not a TOTP URI");
  return (step: number) => otp.generate({ timestamp: step * RULES.totpPeriod });
}

/** A 6-digit code that matches no step within one of `step` (TFA-10's window). */
function wrongCode(person: ModelPerson, step: number): string {
  const codeAt = phone(person);
  const near = codeAt ? [codeAt(step - 1), codeAt(step), codeAt(step + 1)] : [];
  for (let offset = 0; ; offset++) {
    const candidate = String(
      (Number.parseInt(randomBytes(3).toString("hex"), 16) + offset) % 1_000_000,
    ).padStart(6, "0");
    if (!near.includes(candidate)) return candidate;
  }
}

/**
 * What a completed second step adds: a session, perhaps a remembered browser
 * (TFA-7), and the notice of that browser (MAIL-3), which it answers.
 */
function completed(
  person: ModelPerson,
  now: number,
  value: {
    session: { sessionToken: string };
    rememberedBrowser: { rememberedBrowserToken: string } | null;
  },
): ExpectedMail[] {
  completeLogin(person);
  addSession(person, value.session.sessionToken, now);
  if (value.rememberedBrowser === null) return [];
  const expiresAt = now + RULES.rememberBrowserFor;
  person.browsers.push({
    forgotten: false,
    token: value.rememberedBrowser.rememberedBrowserToken,
    expiresAt,
  });
  return [{ kind: "browserRemembered", to: person.email, expiresAt }];
}

/** The person's newest challenge of a stage (TFA-12): the one the page would hold. */
function latestChallenge(person: ModelPerson | undefined, stage: "setup" | "verify") {
  return person?.challenges.filter((challenge) => challenge.stage === stage).at(-1);
}

/**
 * Whether a second step reaches the code check: a live challenge, an active
 * account, and 2FA in the state the stage needs. Otherwise it is refused
 * without counting a failure.
 */
function secondStepOpen(person: ModelPerson, challenge: ModelChallenge, now: number): boolean {
  const needed = challenge.stage === "setup" ? "pending" : "enrolled";
  return (
    challengeUsable(challenge, now) &&
    statusOf(person, now) === "active" &&
    person.twoFactor === needed
  );
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
  override check(model: Readonly<Model>) {
    return latestChallenge(model.people[this.person], "setup") !== undefined;
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    const challenge = latestChallenge(person, "setup");
    if (challenge === undefined) throw new Error("check() guarantees a challenge");
    const step = stepAt(model.now);
    const codeAt = phone(person);
    const code = this.rightCode && codeAt ? codeAt(step) : wrongCode(person, step);
    let expected = "LOGIN_FAILED";
    let mail: ExpectedMail[] = [];
    const usable = secondStepOpen(person, challenge, model.now);
    const accepted =
      usable &&
      this.rightCode &&
      codeAt !== null &&
      (person.lastStep === null || step > person.lastStep);
    if (usable && !accepted) mail = failureMail(person, countFailure(person), model.now, model);
    if (accepted) expected = "ok";
    const result = await real.panelAccess.completeTwoFactorSetup({
      challenge: challenge.token,
      code,
      rememberBrowser: this.remember,
    });
    same(outcomeOf(result), expected, `${this}: outcome`);
    if (result.isOk()) {
      model.reached.add("setup: ok");
      challenge.used = true;
      person.twoFactor = "enrolled";
      person.lastStep = step;
      person.backupCodes = result.value.backupCodes.map((backupCode) => ({
        code: backupCode,
        used: false,
      }));
      // MAIL-3: 2FA set up, and perhaps a browser remembered.
      mail = [
        { kind: "twoFactorEnabled", to: person.email },
        ...completed(person, model.now, result.value),
      ];
    }
    await observe(model, real, mail, this.toString());
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
  override check(model: Readonly<Model>) {
    return latestChallenge(model.people[this.person], "verify") !== undefined;
  }
  async run(model: Model, real: Real) {
    const { person } = personOf(model, real, this.person);
    const challenge = latestChallenge(person, "verify");
    if (challenge === undefined) throw new Error("check() guarantees a challenge");
    const now = stepAt(model.now);
    const codeAt = phone(person);
    const unusedBackup = person.backupCodes.find((backupCode) => !backupCode.used);
    const usedBackup = person.backupCodes.find((backupCode) => backupCode.used);
    let code: string;
    let totpStep: number | null = null;
    let backup: { code: string; used: boolean } | undefined;
    switch (this.kind) {
      case "totp":
      case "previousTotp":
      case "replayedTotp": {
        const step =
          this.kind === "totp"
            ? now
            : this.kind === "previousTotp"
              ? now - 1
              : (person.lastStep ?? now);
        totpStep = codeAt && step >= now - 1 ? step : null;
        code = codeAt ? codeAt(step) : wrongCode(person, now);
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
        code = this.kind === "wrongTotp" ? wrongCode(person, now) : randomBackupCode();
    }
    const usable = secondStepOpen(person, challenge, model.now);
    const accepted =
      usable &&
      ((totpStep !== null && (person.lastStep === null || totpStep > person.lastStep)) ||
        backup !== undefined);
    let mail: ExpectedMail[] = [];
    if (usable && !accepted) mail = failureMail(person, countFailure(person), model.now, model);
    const result = await real.panelAccess.verifySecondFactor({
      challenge: challenge.token,
      code,
      rememberBrowser: this.remember,
    });
    same(outcomeOf(result), accepted ? "ok" : "LOGIN_FAILED", `${this}: outcome`);
    model.reached.add(
      `second factor: ${this.kind} ${accepted ? "accepted" : usable ? "refused" : "dead challenge"}`,
    );
    if (result.isOk()) {
      challenge.used = true;
      if (totpStep !== null) person.lastStep = totpStep;
      if (backup !== undefined) backup.used = true;
      same(
        result.value.backupCodesLeft,
        backup === undefined
          ? null
          : person.backupCodes.filter((backupCode) => !backupCode.used).length,
        `${this}: backup codes left`,
      );
      mail = completed(person, model.now, result.value);
    }
    await observe(model, real, mail, this.toString());
  }
  toString() {
    return `verifySecondFactor(${who(this.person)}, ${this.kind}${this.remember ? ", remember browser" : ""})`;
  }
}

/** 16 Crockford base32 symbols that are not one of anyone's codes (80 random bits). */
function randomBackupCode(): string {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  return [...randomBytes(16)].map((byte) => alphabet[byte % 32]).join("");
}
