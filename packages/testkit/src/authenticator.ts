import type { Clock } from "@panel-access/core";
import { TOTP, URI } from "otpauth";

/** A scripted authenticator app (TFA-4): it knows only the otpauth URI it scanned. */
export interface ScriptedAuthenticator {
  /** The URI it scanned. */
  readonly uri: string;
  /** The code on screen now, or `steps` 30-second steps away (clock drift, an old code). */
  code(steps?: number): string;
  /** The code of one RFC 6238 time step. */
  codeAtStep(step: number): string;
}

/**
 * Reads a setup's `otpauth://` URI as a phone app would, and shows codes for
 * the library's clock: `scan(step.setup.uri, clock).code()`.
 */
export function scan(uri: string, clock: Clock): ScriptedAuthenticator {
  const otp = URI.parse(uri);
  if (!(otp instanceof TOTP)) throw new Error("not a TOTP URI");
  const periodMs = otp.period * 1000;
  return {
    uri,
    code: (steps = 0) => otp.generate({ timestamp: clock.now().toMillis() + steps * periodMs }),
    codeAtStep: (step) => otp.generate({ timestamp: step * periodMs }),
  };
}
