import type { DateTime } from "luxon";
import { HOTP, Secret, TOTP } from "otpauth";

/** RFC 6238 parameters. Enrolments always use the defaults (TFA-1); the others exist for known-answer tests. */
export interface TotpParameters {
  /** @default "SHA1" */
  readonly algorithm: "SHA1" | "SHA256" | "SHA512";
  /** @default 6 */
  readonly digits: number;
  /** Seconds per time step. @default 30 */
  readonly periodSeconds: number;
}

/** TFA-1: SHA-1, 6 digits, 30 s: what every RFC 6238 app (Google Authenticator, Authy…) expects (TFA-4). */
export const STANDARD_TOTP: TotpParameters = { algorithm: "SHA1", digits: 6, periodSeconds: 30 };

/** RFC 6238 §4: the time step (counter) an instant falls in. */
export function timeStepAt(at: DateTime, parameters: TotpParameters = STANDARD_TOTP): number {
  return Math.floor(at.toMillis() / 1000 / parameters.periodSeconds);
}

/** The code an authenticator shows at `at`. */
export function totpCodeAt(
  secret: Uint8Array,
  at: DateTime,
  parameters: TotpParameters = STANDARD_TOTP,
): string {
  return TOTP.generate({
    secret: new Secret({ buffer: secret.slice().buffer }),
    algorithm: parameters.algorithm,
    digits: parameters.digits,
    period: parameters.periodSeconds,
    timestamp: at.toMillis(),
  });
}

/** RFC 4226: the HOTP value for a counter (known-answer tests). */
export function hotpCode(secret: Uint8Array, counter: number, digits = 6): string {
  return HOTP.generate({ secret: new Secret({ buffer: secret.slice().buffer }), counter, digits });
}

/**
 * The time step whose code `code` is, within `window` steps either side of
 * `now` (TFA-10: one by default); `null` when none matches. The comparison
 * inside otpauth is constant-time.
 */
export function matchTotp(
  secret: Uint8Array,
  code: string,
  now: DateTime,
  window: number,
  parameters: TotpParameters = STANDARD_TOTP,
): number | null {
  const delta = TOTP.validate({
    token: code,
    secret: new Secret({ buffer: secret.slice().buffer }),
    algorithm: parameters.algorithm,
    digits: parameters.digits,
    period: parameters.periodSeconds,
    timestamp: now.toMillis(),
    window,
  });
  return delta === null ? null : timeStepAt(now, parameters) + delta;
}

/**
 * TFA-1: the Google Authenticator key URI (`otpauth://totp/Issuer:label?…`).
 * Neither issuer nor label may contain a colon (the format's separator).
 */
export function totpUri(secret: Uint8Array, issuer: string, label: string): string {
  return new TOTP({
    issuer,
    label,
    secret: new Secret({ buffer: secret.slice().buffer }),
    algorithm: STANDARD_TOTP.algorithm,
    digits: STANDARD_TOTP.digits,
    period: STANDARD_TOTP.periodSeconds,
  }).toString();
}

/** The secret as base32, for people who type it in instead of scanning the QR code. */
export function base32Of(secret: Uint8Array): string {
  return new Secret({ buffer: secret.slice().buffer }).base32;
}
