import { scan } from "@panel-access/testkit";
import fc from "fast-check";
import { err } from "neverthrow";
import { afterAll, describe, expect, it } from "vitest";
import { PASSWORD, worldWithPanel } from "../../support/world.js";

const PERSON = "person@example.com";

/**
 * INP-1 v2: `text` with one ill-formed UTF-16 unit (NUL or a surrogate)
 * inserted anywhere: always ill-formed, since inside a surrogate pair it
 * leaves one half alone.
 */
function spoiled(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const unit = fc.oneof(
    fc.constantFrom("\u0000", "\uD800", "\uDBFF", "\uDC00", "\uDFFF"),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)),
  );
  return fc.tuple(text, fc.nat(), unit).map(([good, at, bad]) => {
    const i = at % (good.length + 1);
    return good.slice(0, i) + bad + good.slice(i);
  });
}
const isIllFormed = (text: string) => text.includes("\u0000") || /\p{Cs}/u.test(text);

/** Digits in forms NFKC makes ASCII digits: fullwidth, superscript, circled. */
const COMPATIBILITY_DIGITS = ["０１２３４５６７８９", "⁰¹²³⁴⁵⁶⁷⁸⁹", "⓪①②③④⑤⑥⑦⑧⑨"];
/**
 * A 6-digit code with at least one digit typed in a compatibility form: NFKC
 * would make it a code, but codes are taken as typed (only spaces, and a
 * backup code's dashes, are stripped), so it is malformed.
 */
const compatibilityCode = fc
  .tuple(
    fc.stringMatching(/^\d{6}$/),
    fc.integer({ min: 0, max: 5 }),
    fc.constantFrom(...COMPATIBILITY_DIGITS),
  )
  .map(([code, at, forms]) => {
    const digit = Number(code[at]);
    return code.slice(0, at) + [...forms][digit] + code.slice(at + 1);
  });
const BACKUP_CODE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;
const wellFormed = (code: string) => {
  const stripped = code.replace(/\s/g, "");
  return (
    /^\d{6}$/.test(stripped) ||
    /^[0-9A-HJKMNP-TV-Z]{16}$/.test(stripped.replace(/-/g, "").toUpperCase())
  );
};

describe("bad second-factor input", () => {
  let codesRun = 0;
  let labelsRun = 0;
  afterAll(() => {
    console.log(
      `second-factor input: ${codesRun} malformed codes, ${labelsRun} ill-formed browser labels`,
    );
  });

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
            "123\u0000456",
            "\uD800123456",
            "123456\uDFFF",
          ),
          spoiled(fc.stringMatching(/^\d{6}$/)),
          spoiled(fc.stringMatching(BACKUP_CODE)),
          compatibilityCode,
        ),
        async (code) => {
          fc.pre(!wellFormed(code));
          codesRun++;
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
  it("INP-1 v2: a right code with a browser label holding NUL or a lone surrogate is INVALID_INPUT, and burns neither the code nor the challenge", async () => {
    const w = await worldWithPanel();
    const { app } = await w.enrolled(PERSON);
    const step = await w.secondFactorStep(PERSON);
    await w.member("newcomer@example.com");
    const setupStep = (
      await w.panelAccess.login({ email: "newcomer@example.com", password: PASSWORD })
    )._unsafeUnwrap();
    if (setupStep.next !== "secondFactorSetup")
      expect.fail(`expected a setup, got ${setupStep.next}`);
    const newcomerApp = scan(setupStep.setup.uri, w.clock);
    const attempts = {
      verifySecondFactor: (browserLabel: string) =>
        w.panelAccess.verifySecondFactor({
          challenge: step.challenge,
          code: app.code(),
          rememberBrowser: true,
          browserLabel,
        }),
      completeTwoFactorSetup: (browserLabel: string) =>
        w.panelAccess.completeTwoFactorSetup({
          challenge: setupStep.challenge,
          code: newcomerApp.code(),
          rememberBrowser: true,
          browserLabel,
        }),
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(attempts) as (keyof typeof attempts)[])),
        fc.oneof(
          spoiled(fc.constantFrom("Firefox on Linux", "לוח בקרה", "😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "Cafe\u0301")),
          spoiled(fc.string({ unit: "grapheme", maxLength: 40 })),
        ),
        async (entryPoint, browserLabel) => {
          labelsRun++;
          expect(isIllFormed(browserLabel)).toBe(true);
          const before = w.store.snapshot();
          const mailBefore = w.mailer.sent.length;
          const result = await attempts[entryPoint](browserLabel);
          await w.panelAccess.settled();
          expect(result.isErr() && result.error.type).toBe("INVALID_INPUT");
          expect(w.store.snapshot()).toEqual(before);
          expect(w.mailer.sent.length).toBe(mailBefore);
        },
      ),
      { numRuns: 300 },
    );
    // Neither the challenges nor the codes were used up: both logins complete now.
    const label = "Firefox on Linux";
    expect((await attempts.verifySecondFactor(label)).isOk()).toBe(true);
    expect((await attempts.completeTwoFactorSetup(label)).isOk()).toBe(true);
  });
});
