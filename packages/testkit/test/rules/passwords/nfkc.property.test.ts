import { scan } from "@panel-access/testkit";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { callOf } from "../../support/entry-points.js";
import {
  FUZZ_SCALE,
  ILL_FORMED_RUNS,
  isIllFormed,
  nfkcEquivalentPasswords,
  spoiled,
} from "../../support/ill-formed.js";
import { resetTokenOf, stateOf, worldWithPanel } from "../../support/world.js";

/** PWD-1 v2: NFKC-equivalent password pairs (each registers, resets and logs in twice: 4 hashes). */
const NFKC_RUNS = 25 * FUZZ_SCALE;

describe("PWD-1 v2: passwords are compared after NFKC; ill-formed ones are refused", () => {
  let pairsRun = 0;
  let illFormedPasswords = 0;
  afterAll(() => {
    console.log(
      `PWD-1 v2: ${pairsRun} NFKC-equivalent password pairs (registered, reset, logged in with); ${illFormedPasswords} ill-formed passwords`,
    );
  });

  it("PWD-1 v2: NFKC-equivalent passwords are the same password", async () => {
    const w = await worldWithPanel();
    let people = 0;
    await fc.assert(
      fc.asyncProperty(
        nfkcEquivalentPasswords,
        nfkcEquivalentPasswords,
        async ([registered, typed], [reset, retyped]) => {
          pairsRun++;
          expect(typed).not.toBe(registered);
          expect(typed.normalize("NFKC")).toBe(registered.normalize("NFKC"));
          const email = `nfkc-${people++}@example.com`;
          const { token } = await w.invite(email);
          const registration = await w.panelAccess.register({
            token: token ?? "",
            password: registered,
          });
          expect(registration.isOk()).toBe(true);
          const login = await w.panelAccess.login({ email, password: typed });
          expect(login.isOk() && login.value.next).toBe("secondFactorSetup");

          await w.panelAccess.forgotPassword({ email });
          await w.panelAccess.settled();
          const token2 = resetTokenOf(w, email);
          const resetting = await w.panelAccess.resetPassword({ token: token2, password: reset });
          expect(resetting.isOk()).toBe(true);
          const relogin = await w.panelAccess.login({ email, password: retyped });
          expect(relogin.isOk() && relogin.value.next).toBe("secondFactorSetup");
          // And a password that is not equivalent is still wrong.
          if (registered.normalize("NFKC") !== reset.normalize("NFKC")) {
            const old = await w.panelAccess.login({ email, password: typed });
            expect(old.isErr() && old.error.type).toBe("LOGIN_FAILED");
          }
        },
      ),
      {
        numRuns: NFKC_RUNS,
        examples: [
          [
            ["ｐａｓｓｗｏｒｄ ｇａｒｄｅｎ１２３", "password garden123"],
            ["\ufb01nal answer²", "final answer2"],
          ],
          [
            ["Ⅸ ｋｎｉｇｈｔｓ ㎏", "IX knights kg"],
            ["\u212bngstr\u00f6m e\u0301te\u0301", "\u00c5ngstro\u0308m \u00e9t\u00e9"],
          ],
        ],
      },
    );
  });

  it("PWD-1 v2: a password differing only by ill-formed input is refused as INVALID_INPUT (even where UTF-8 would make it U+FFFD)", async () => {
    const w = await worldWithPanel();
    // A lone surrogate becomes U+FFFD when encoded as UTF-8: this password
    // holds U+FFFD, so a lone surrogate in its place would hash alike if it
    // were let through.
    const password = "pass\ufffdword \ufffd 1";
    const email = "replacement@example.com";
    const { token } = await w.invite(email);
    (await w.panelAccess.register({ token: token ?? "", password }))._unsafeUnwrap();
    const step = (await w.panelAccess.login({ email, password }))._unsafeUnwrap();
    if (step.next !== "secondFactorSetup") expect.fail(`expected a setup, got ${step.next}`);
    const app = scan(step.setup.uri, w.clock);
    const done = (
      await w.panelAccess.completeTwoFactorSetup({ challenge: step.challenge, code: app.code() })
    )._unsafeUnwrap();
    await w.panelAccess.forgotPassword({ email });
    await w.panelAccess.settled();
    const resetToken = resetTokenOf(w, email);
    const { token: invitation } = await w.invite("invitee@example.com");
    const inputs = {
      login: (typed: string) => ({ email, password: typed }),
      register: (typed: string) => ({ token: invitation, password: typed }),
      resetPassword: (typed: string) => ({ token: resetToken, password: typed }),
      regenerateBackupCodes: (typed: string) => ({
        sessionToken: done.session.sessionToken,
        password: typed,
      }),
    } as const;
    const surrogateForReplacement = fc
      .tuple(fc.boolean(), fc.integer({ min: 0xd800, max: 0xdfff }))
      .map(([first, unit]) => {
        const i = first ? password.indexOf("\ufffd") : password.lastIndexOf("\ufffd");
        return password.slice(0, i) + String.fromCharCode(unit) + password.slice(i + 1);
      });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(inputs) as (keyof typeof inputs)[])),
        fc.oneof(
          surrogateForReplacement,
          spoiled(fc.constant(password)),
          fc.constantFrom("\uD800abcdefgh", "abcdefgh\u0000", "\uDFFFabcdefgh"),
        ),
        async (useCase, typed) => {
          illFormedPasswords++;
          expect(isIllFormed(typed)).toBe(true);
          const before = stateOf(w);
          const result = await callOf(w, useCase)(inputs[useCase](typed));
          await w.panelAccess.settled();
          const where = `${useCase}: password = ${JSON.stringify(typed)}`;
          expect(result.isErr() ? result.error.type : "ok", where).toBe("INVALID_INPUT");
          // A refused login counted no failure: nothing changed.
          expect(stateOf(w), where).toEqual(before);
        },
      ),
      { numRuns: Math.max(100, ILL_FORMED_RUNS) },
    );
    // The password itself still works; no refusal locked or changed anything.
    const login = await w.panelAccess.login({ email, password });
    expect(login.isOk() && login.value.next).toBe("secondFactor");
  });
});
