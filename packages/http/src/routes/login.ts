import type { CompletedLogin, LoginStep } from "@panel-access/core";
import { z } from "zod";
import { browserLabelOf } from "../web/browser-label.js";
import { type Answer, refusal } from "../web/errors.js";
import { type RouteContext, route } from "./route.js";
import { code, email, instant, password } from "./schemas.js";

/**
 * LCK-8: the one answer of every failed sign-in step, whatever the reason
 * (a wrong password, an unknown e-mail, a locked account, a bad code, a
 * stale challenge, malformed input). Only the refusals that say nothing of
 * the account keep their own code: TOO_MANY_ATTEMPTS (with `Retry-After`,
 * LCK-9), THROTTLE_UNAVAILABLE, BUSY, STORAGE_FAILED.
 */
function signInRefused(error: { readonly type: string }): Answer {
  return ["TOO_MANY_ATTEMPTS", "THROTTLE_UNAVAILABLE", "BUSY", "STORAGE_FAILED"].includes(
    error.type,
  )
    ? refusal(error)
    : refusal({ type: "LOGIN_FAILED" });
}

const secondStepBody = z.object({
  code,
  /** TFA-7: remember this browser. @default false */
  rememberBrowser: z.boolean().optional(),
});

const completed = z.object({
  expiresAt: instant.describe("The session's absolute end."),
  rememberedBrowser: z.boolean(),
  backupCodesLeft: z
    .number()
    .nullable()
    .describe("After a backup code: how many are left (TFA-5)."),
});

/**
 * SES-2: a new login in a browser that still holds a session ends that
 * session (the cookie is about to be replaced; left alone, it would live on
 * unseen until its idle limit).
 */
async function endPreviousSession(context: RouteContext): Promise<void> {
  const previous = context.cookies.read(context.headers, "session");
  if (previous !== undefined) await context.library.logout({ sessionToken: previous });
}

/** Sets the session (and remembered-browser) cookies of a completed login; drops the challenge. */
function signedIn(context: RouteContext, login: CompletedLogin): z.input<typeof completed> {
  context.cookieChanges.set("challenge", null);
  context.cookieChanges.set("session", login.session.sessionToken);
  if (login.rememberedBrowser !== null) {
    context.cookieChanges.set("browser", login.rememberedBrowser.rememberedBrowserToken);
  }
  return {
    expiresAt: login.session.expiresAt.toISO() ?? "",
    rememberedBrowser: login.rememberedBrowser !== null,
    backupCodesLeft: login.backupCodesLeft,
  };
}

/** The second step's input from the body, the challenge cookie and the request. */
const secondStep = (context: RouteContext, body: z.output<typeof secondStepBody>) => ({
  challenge: context.cookies.read(context.headers, "challenge") ?? "",
  code: body.code,
  rememberBrowser: body.rememberBrowser ?? false,
  browserLabel: browserLabelOf(context.headers.get("user-agent")),
  ...(context.clientAddress !== undefined && { clientAddress: context.clientAddress }),
});

const step = z.discriminatedUnion("next", [
  z.object({ next: z.literal("done"), expiresAt: instant }),
  z.object({ next: z.literal("secondFactor"), challengeExpiresAt: instant }),
  z.object({
    next: z.literal("secondFactorSetup"),
    challengeExpiresAt: instant,
    setup: z.object({
      uri: z.string().describe("The otpauth:// URI for the authenticator app."),
      secret: z.string().describe("The secret in base32, to type instead of scanning."),
      qrSvg: z.string().describe("The URI as a QR code, an SVG document."),
    }),
  }),
]);

function presentStep(context: RouteContext, login: LoginStep): Answer {
  if (login.next === "done") {
    context.cookieChanges.set("challenge", null);
    context.cookieChanges.set("session", login.session.sessionToken);
    return { status: 200, body: { next: "done", expiresAt: login.session.expiresAt.toISO() } };
  }
  // TFA-12: the challenge stays in an HttpOnly cookie, never in the body.
  context.cookieChanges.set("challenge", login.challenge);
  const challengeExpiresAt = login.challengeExpiresAt.toISO();
  if (login.next === "secondFactor") {
    return { status: 200, body: { next: "secondFactor", challengeExpiresAt } };
  }
  const { uri, secret, qrSvg } = login.setup;
  return {
    status: 200,
    body: { next: "secondFactorSetup", challengeExpiresAt, setup: { uri, secret, qrSvg } },
  };
}

/** The sign-in routes: the password step and the second factor (LCK-1..9, TFA-1..7, TFA-12). */
export const loginRoutes = [
  route({
    id: "login",
    method: "POST",
    setsCookies:
      "The challenge cookie for the second step; with next: done, the session cookie instead.",
    path: "/login",
    summary:
      "The password step. A remembered browser (cookie) may complete the login at once; otherwise a challenge cookie is set for the second factor or its setup.",
    rules: ["LCK-1", "LCK-8", "LCK-9", "TFA-1", "TFA-7", "TFA-12"],
    session: "none",
    invalidBody: "LOGIN_FAILED",
    body: z.object({ email, password }),
    answers: { 200: { description: "The next step.", schema: step } },
    errors: ["LOGIN_FAILED", "TOO_MANY_ATTEMPTS", "THROTTLE_UNAVAILABLE", "BUSY", "STORAGE_FAILED"],
    run: async (context, { body }) => {
      const browser = context.cookies.read(context.headers, "browser");
      const result = await context.library.login({
        email: body.email,
        password: body.password,
        ...(browser !== undefined && { rememberedBrowserToken: browser }),
        ...(context.clientAddress !== undefined && { clientAddress: context.clientAddress }),
      });
      if (result.isOk() && result.value.next === "done") await endPreviousSession(context);
      return result.isOk() ? presentStep(context, result.value) : signInRefused(result.error);
    },
  }),
  route({
    id: "verifySecondFactor",
    method: "POST",
    setsCookies:
      "The session cookie (and the remembered-browser cookie when asked); the challenge cookie is cleared.",
    path: "/login/second-factor",
    summary: "The second step: a code from the app or a backup code, against the challenge cookie.",
    rules: ["TFA-3", "TFA-5", "TFA-7", "TFA-10", "TFA-12", "LCK-6"],
    session: "none",
    invalidBody: "LOGIN_FAILED",
    body: secondStepBody,
    answers: { 200: { description: "Signed in: the session cookie is set.", schema: completed } },
    errors: ["LOGIN_FAILED", "TOO_MANY_ATTEMPTS", "THROTTLE_UNAVAILABLE", "BUSY", "STORAGE_FAILED"],
    run: async (context, { body }) => {
      const result = await context.library.verifySecondFactor(secondStep(context, body));
      if (result.isOk()) await endPreviousSession(context);
      return result.isOk()
        ? { status: 200, body: signedIn(context, result.value) }
        : signInRefused(result.error);
    },
  }),
  route({
    id: "completeTwoFactorSetup",
    method: "POST",
    setsCookies:
      "The session cookie (and the remembered-browser cookie when asked); the challenge cookie is cleared.",
    path: "/login/setup",
    summary:
      "Confirms the two-factor setup with a current code; answers the backup codes, shown once.",
    rules: ["TFA-1", "TFA-2", "TFA-5", "TFA-12"],
    session: "none",
    invalidBody: "LOGIN_FAILED",
    body: secondStepBody,
    answers: {
      200: {
        description: "Signed in: the session cookie is set; the backup codes are shown once.",
        schema: completed.extend({ backupCodes: z.array(z.string()) }),
      },
    },
    errors: ["LOGIN_FAILED", "TOO_MANY_ATTEMPTS", "THROTTLE_UNAVAILABLE", "BUSY", "STORAGE_FAILED"],
    run: async (context, { body }) => {
      const result = await context.library.completeTwoFactorSetup(secondStep(context, body));
      if (result.isOk()) await endPreviousSession(context);
      return result.isOk()
        ? {
            status: 200,
            body: { ...signedIn(context, result.value), backupCodes: result.value.backupCodes },
          }
        : signInRefused(result.error);
    },
  }),
];
