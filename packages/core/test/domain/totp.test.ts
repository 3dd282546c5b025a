import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { hotpCode, matchTotp, timeStepAt, totpCodeAt, totpUri } from "../../src/domain/totp.js";
import { ManualClock } from "../../src/testing/doubles/manual-clock.js";

const ascii = (s: string) => new TextEncoder().encode(s);
const SHA1_SEED = ascii("12345678901234567890");
const SHA256_SEED = ascii("12345678901234567890123456789012");
const SHA512_SEED = ascii("1234567890123456789012345678901234567890123456789012345678901234");

/** RFC 6238 Appendix B: seconds since the epoch, and the 8-digit codes for SHA-1, SHA-256, SHA-512. */
const APPENDIX_B: [number, string, string, string][] = [
  [59, "94287082", "46119246", "90693936"],
  [1111111109, "07081804", "68084774", "25091201"],
  [1111111111, "14050471", "67062674", "99943326"],
  [1234567890, "89005924", "91819424", "93441116"],
  [2000000000, "69279037", "90698825", "38618901"],
  [20000000000, "65353130", "77737706", "47863826"],
];

/** RFC 4226 Appendix D: HOTP values for counters 0 to 9 of the SHA-1 seed. */
const APPENDIX_D = [
  "755224",
  "287082",
  "359152",
  "969429",
  "338314",
  "254676",
  "287922",
  "162583",
  "399871",
  "520489",
];

describe("TOTP known answers", () => {
  it("TFA-4: RFC 6238 Appendix B, SHA-1, SHA-256 and SHA-512, with the clock port driving the time", () => {
    const clock = new ManualClock();
    for (const [seconds, sha1, sha256, sha512] of APPENDIX_B) {
      clock.set(DateTime.fromSeconds(seconds, { zone: "utc" }));
      const at = clock.now();
      expect(totpCodeAt(SHA1_SEED, at, { algorithm: "SHA1", digits: 8, periodSeconds: 30 })).toBe(
        sha1,
      );
      expect(
        totpCodeAt(SHA256_SEED, at, { algorithm: "SHA256", digits: 8, periodSeconds: 30 }),
      ).toBe(sha256);
      expect(
        totpCodeAt(SHA512_SEED, at, { algorithm: "SHA512", digits: 8, periodSeconds: 30 }),
      ).toBe(sha512);
    }
  });

  it("TFA-4: RFC 4226 Appendix D HOTP values", () => {
    APPENDIX_D.forEach((expected, counter) => {
      expect(hotpCode(SHA1_SEED, counter)).toBe(expected);
    });
  });

  it("TFA-10: a code matches its own step and one step either side, not two", () => {
    const at = DateTime.fromSeconds(1111111111, { zone: "utc" });
    const step = timeStepAt(at);
    const code = totpCodeAt(SHA1_SEED, at);
    expect(matchTotp(SHA1_SEED, code, at, 1)).toBe(step);
    expect(matchTotp(SHA1_SEED, code, at.plus({ seconds: 30 }), 1)).toBe(step);
    expect(matchTotp(SHA1_SEED, code, at.minus({ seconds: 30 }), 1)).toBe(step);
    expect(matchTotp(SHA1_SEED, code, at.plus({ seconds: 60 }), 1)).toBeNull();
    expect(matchTotp(SHA1_SEED, code, at.plus({ seconds: 30 }), 0)).toBeNull();
  });

  it("TFA-1: the key URI has the Google Authenticator format: SHA-1, 6 digits, 30 s, issuer and label", () => {
    const uri = new URL(totpUri(SHA1_SEED, "Acme Panels", "person@example.com"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Acme Panels:person@example.com");
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      issuer: "Acme Panels",
      secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
      algorithm: "SHA1",
      digits: "6",
      period: "30",
    });
  });
});
