import { randomBytes } from "node:crypto";
import type { FailureOutcome, Model, ModelPerson } from "../state.js";
import { type ExpectedMail, resetExpiry } from "../world/expected-mail.js";

export const WRONG_PASSWORD = "not the password";

/**
 * PWD-1 v2: a new password as typed on a keyboard that gives compatibility
 * characters (full-width letters). Logins type its NFKC form, which must be
 * the same password. Its words are on no list of common passwords, so the
 * library's default screen accepts it (PWD-6).
 */
export const newPassword = (prefix: string) =>
  `${prefix} ${randomBytes(4).toString("hex")}`.replace(/[a-z]/g, (letter) =>
    String.fromCharCode(letter.charCodeAt(0) - 0x61 + 0xff41),
  );

/** LCK-2, LCK-5: the message a counted failure sends. */
export function failureMail(
  person: ModelPerson,
  outcome: FailureOutcome,
  now: number,
  model: Model,
): ExpectedMail[] {
  model.reached.add(`failure: ${outcome}`);
  if (outcome !== "counted" && person.passwordKeptCount)
    model.reached.add(`LCK-1 v2: ${outcome} across a correct password`);
  if (outcome === "locked")
    return [{ kind: "accountLocked", to: person.email, expiresAt: resetExpiry(now) }];
  if (outcome === "blocked") return [{ kind: "accountBlocked", to: person.email }];
  return [];
}
