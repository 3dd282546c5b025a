import type { IssuedSession } from "@panel-access/core";
import { type ScriptedAuthenticator, scan } from "@panel-access/testkit";
import { err } from "neverthrow";
import { expect } from "vitest";
import { PASSWORD, type World } from "./world.js";

/** Per world, the remembered-browser token of each person `openSession` logged in. */
const browsers = new WeakMap<World, Map<string, string>>();

/**
 * Opens a session through a complete login (SES-1): the password, then the
 * second factor. The person's first one sets up 2FA with a scripted
 * authenticator and remembers the browser (TFA-7); later ones log in from
 * that browser, so several sessions open at one instant without a code
 * being replayed (TFA-10). For tests about sessions and lockout, not 2FA.
 */
export async function openSession(
  w: World,
  email: string,
  password = PASSWORD,
): Promise<IssuedSession> {
  const remembered = browsers.get(w) ?? new Map<string, string>();
  browsers.set(w, remembered);
  const rememberedBrowserToken = remembered.get(email);
  const step = (
    await w.panelAccess.login({
      email,
      password,
      ...(rememberedBrowserToken && { rememberedBrowserToken }),
    })
  )._unsafeUnwrap();
  if (step.next === "done") return step.session;
  if (step.next !== "secondFactorSetup") {
    throw new Error(`openSession: ${email} set up 2FA elsewhere; log in with their authenticator`);
  }
  const app = scan(step.setup.uri, w.clock);
  const done = (
    await w.panelAccess.completeTwoFactorSetup({
      challenge: step.challenge,
      code: app.code(),
      rememberBrowser: true,
    })
  )._unsafeUnwrap();
  if (done.rememberedBrowser !== null) {
    remembered.set(email, done.rememberedBrowser.rememberedBrowserToken);
  }
  await w.panelAccess.settled();
  return done.session;
}

/**
 * A wrong code on a fresh password step (LCK-6), answered `LOGIN_FAILED`
 * like a wrong password; `app` is the person's authenticator, so the code
 * is none it shows near now. Answers whether this failure locked the account.
 */
export async function failSecondFactor(
  w: World,
  email: string,
  app: ScriptedAuthenticator,
): Promise<"counted" | "locked"> {
  const step = (await w.panelAccess.login({ email, password: PASSWORD }))._unsafeUnwrap();
  if (step.next !== "secondFactor") throw new Error(`expected a second factor, got ${step.next}`);
  const shown = [-2, -1, 0, 1, 2].map((steps) => app.code(steps));
  const code = ["000000", "111111", "222222", "333333", "444444", "555555"].find(
    (candidate) => !shown.includes(candidate),
  );
  const locksBefore = w.events.ofType("account.locked").length;
  expect(
    await w.panelAccess.verifySecondFactor({ challenge: step.challenge, code: code ?? "" }),
  ).toEqual(err({ type: "LOGIN_FAILED" }));
  await w.panelAccess.settled();
  return w.events.ofType("account.locked").length > locksBefore ? "locked" : "counted";
}
