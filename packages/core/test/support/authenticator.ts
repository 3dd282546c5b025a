import type { ManualClock } from "@panel-access/adapter-memory";
import { URI } from "otpauth";

/**
 * A scripted authenticator app: it knows only the otpauth URI it "scanned",
 * and shows the code for the clock's current time, as a phone would (TFA-4).
 */
export function scanned(uri: string, clock: ManualClock) {
  const otp = URI.parse(uri);
  if (!("period" in otp)) throw new Error("not a TOTP URI");
  return {
    /** What was scanned. */
    uri,
    /** The code on screen now, or `steps` time steps away (clock drift). */
    code: (steps = 0) =>
      otp.generate({ timestamp: clock.now().toMillis() + steps * otp.period * 1000 }),
  };
}
