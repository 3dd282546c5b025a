import fc from "fast-check";
import { err } from "neverthrow";
import { describe, expect, it } from "vitest";
import { worldWithPanel } from "../support/world.js";

const PERSON = "person@example.com";
const wellFormed = (code: string) => {
  const stripped = code.replace(/\s/g, "");
  return (
    /^\d{6}$/.test(stripped) ||
    /^[0-9A-HJKMNP-TV-Z]{16}$/.test(stripped.replace(/-/g, "").toUpperCase())
  );
};

describe("bad second-factor input", () => {
  it("TFA-3, INP-1: against a live challenge, a malformed code is a typed error and changes nothing", async () => {
    const w = await worldWithPanel();
    await w.enrolled(PERSON);
    const step = await w.secondFactorStep(PERSON);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.string({ unit: "grapheme", maxLength: 30 }),
          fc.stringMatching(/^\s*\d{1,5}\s*$/),
          fc.stringMatching(/^\d{7,12}$/),
          fc.constantFrom(
            "",
            "   ",
            "12 34 5",
            "1".repeat(65),
            "１２３４５６",
            "12345６",
            "OOOO-IIII-LLLL-UUUU",
          ),
        ),
        async (code) => {
          fc.pre(!wellFormed(code));
          const before = w.store.snapshot();
          const result = await w.panelAccess.verifySecondFactor({
            challenge: step.challenge,
            code,
          });
          expect(result._unsafeUnwrapErr().type).toBe("INVALID_INPUT");
          expect(w.store.snapshot()).toEqual(before);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("TFA-12, INP-1: forged, expired and reused challenges get LOGIN_FAILED and change nothing", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const used = await w.secondFactorStep(PERSON);
    (
      await w.panelAccess.verifySecondFactor({ challenge: used.challenge, code: app.code() })
    )._unsafeUnwrap();
    const expired = await w.secondFactorStep(PERSON);
    w.clock.set(expired.challengeExpiresAt);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant(used.challenge),
          fc.constant(expired.challenge),
          fc.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/),
        ),
        fc.stringMatching(/^\d{6}$/),
        async (challenge, code) => {
          const before = w.store.snapshot();
          expect(await w.panelAccess.verifySecondFactor({ challenge, code })).toEqual(
            err({ type: "LOGIN_FAILED" }),
          );
          await w.panelAccess.settled();
          expect(w.store.snapshot()).toEqual(before);
        },
      ),
      { numRuns: 200 },
    );
  });
});
