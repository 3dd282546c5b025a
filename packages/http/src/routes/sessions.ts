import type { ValidSession } from "@panel-access/core";
import { refusal } from "../web/errors.js";
import { answerOf, noContent, route } from "./route.js";
import { accountView, activityPage, activityQuery, sessionView } from "./schemas.js";

/** A session as the API shows it (never its token or its id). */
export const presentSession = (session: ValidSession) => ({
  accountId: session.accountId,
  email: session.email,
  method: session.method,
  expiresAt: session.expiresAt.toISO(),
  panels: session.panels.map(({ panel, role, access }) => ({
    id: panel.id,
    name: panel.name,
    role,
    access,
  })),
});

/** The session routes: the session itself, signing out, the person's account and security activity. */
export const sessionRoutes = [
  route({
    id: "getSession",
    method: "GET",
    path: "/session",
    summary: "The signed-in account and the panels it may enter now.",
    rules: ["SES-1", "SES-3", "PNL-7"],
    session: "checked",
    answers: { 200: { description: "The session.", schema: sessionView } },
    errors: ["SESSION_INVALID", "STORAGE_FAILED"],
    run: async (context) => ({
      status: 200,
      body: presentSession(context.session as ValidSession),
    }),
  }),
  route({
    id: "logout",
    method: "POST",
    setsCookies: "Clears the session and challenge cookies.",
    path: "/logout",
    summary: "Ends this session and drops its cookie; answers 204 even without one.",
    rules: ["SES-2"],
    session: "none",
    answers: { 204: { description: "Signed out." } },
    errors: ["STORAGE_FAILED"],
    run: async (context) => {
      const sessionToken = context.cookies.read(context.headers, "session");
      const result =
        sessionToken === undefined ? undefined : await context.library.logout({ sessionToken });
      // The cookie goes once the session has ended (or never worked); after
      // an outage it stays, so the person can try again.
      if (result?.isErr() && result.error.type !== "INVALID_INPUT") return refusal(result.error);
      context.cookieChanges.set("session", null);
      context.cookieChanges.set("challenge", null);
      return { status: 204 };
    },
  }),
  route({
    id: "logoutEverywhere",
    method: "POST",
    setsCookies: "Clears the session cookie.",
    path: "/logout-everywhere",
    summary:
      "Ends every session of the signed-in account. The session must still work: the token of an idle or ended one does not end the others.",
    rules: ["SES-2"],
    // Checked first: the library's logoutEverywhere takes the token of an
    // idle-expired session too, and a leaked old token must not sign the
    // person out everywhere.
    session: "checked",
    answers: { 204: { description: "Every session ended." } },
    errors: ["SESSION_INVALID", "STORAGE_FAILED"],
    run: async (context) => {
      const result = await context.library.logoutEverywhere({ sessionToken: context.sessionToken });
      if (result.isOk()) context.cookieChanges.set("session", null);
      return answerOf(result, noContent);
    },
  }),
  route({
    id: "getAccount",
    method: "GET",
    path: "/account",
    summary: "The signed-in person's account: status, two-factor state, every membership.",
    rules: ["ACC-5", "SES-1"],
    session: "token",
    answers: { 200: { description: "The account.", schema: accountView } },
    errors: ["SESSION_INVALID", "STORAGE_FAILED"],
    run: async (context) =>
      answerOf(
        await context.library.getAccountStatus({ sessionToken: context.sessionToken }),
        (account) => ({ status: 200, body: account }),
      ),
  }),
  route({
    id: "listSecurityActivity",
    method: "GET",
    path: "/activity",
    summary: "The signed-in person's security events, newest first, paged.",
    rules: ["AUD-2"],
    session: "token",
    query: activityQuery,
    answers: { 200: { description: "One page.", schema: activityPage } },
    errors: ["SESSION_INVALID", "INVALID_INPUT", "STORAGE_FAILED"],
    run: async (context, { query }) =>
      answerOf(
        await context.library.listSecurityActivity({
          sessionToken: context.sessionToken,
          ...withoutUndefined(query),
        } as Parameters<typeof context.library.listSecurityActivity>[0]),
        (page) => ({ status: 200, body: page }),
      ),
  }),
];

/** The query's fields that were given. */
export const withoutUndefined = (query: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
