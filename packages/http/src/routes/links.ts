import { z } from "zod";
import { answerOf, fromClient, noContent, route } from "./route.js";
import { email, instant, password, token } from "./schemas.js";

/** Why an invitation link does not work (ACC-6). */
const INVITATION_REFUSED = [
  "INVITATION_UNKNOWN",
  "INVITATION_USED",
  "INVITATION_SUPERSEDED",
  "INVITATION_EXPIRED",
  "INVITATION_REVOKED",
];
/** Why a reset link does not work (PWD-3). */
const RESET_LINK_REFUSED = [
  "RESET_LINK_UNKNOWN",
  "RESET_LINK_USED",
  "RESET_LINK_SUPERSEDED",
  "RESET_LINK_EXPIRED",
  "ACCOUNT_BLOCKED",
];

/** Registration through an invitation, and a forgotten password (ACC-6, ACC-9, PWD-2, PWD-3). */
export const linkRoutes = [
  route({
    id: "inspectInvitation",
    method: "POST",
    readOnly: true,
    path: "/invitations/inspect",
    summary:
      "What an invitation link is for and whether it works, without using it (a mail scanner following the link changes nothing). The token goes in the body, never in a logged URL.",
    rules: ["ACC-9", "ACC-6"],
    session: "none",
    body: z.object({ token }),
    answers: {
      200: {
        description: "The link works.",
        schema: z.object({
          email: z.string(),
          panel: z.object({ id: z.string(), name: z.string() }).nullable(),
          invitationExpiresAt: instant,
        }),
      },
    },
    errors: [...INVITATION_REFUSED, "INVALID_INPUT", "STORAGE_FAILED"],
    run: async (context, { body }) =>
      answerOf(await context.library.inspectInvitation({ token: body.token }), (details) => ({
        status: 200,
        body: details,
      })),
  }),
  route({
    id: "register",
    method: "POST",
    path: "/register",
    summary: "Sets the password through a working invitation link; sign in next.",
    rules: ["ACC-6", "PWD-1", "PWD-6"],
    session: "none",
    body: z.object({ token, password }),
    answers: { 201: { description: "Registered.", schema: z.object({ email: z.string() }) } },
    errors: [
      ...INVITATION_REFUSED,
      "INVALID_INPUT",
      "PASSWORD_TOO_COMMON",
      "PASSWORD_SCREEN_UNAVAILABLE",
      "TOO_MANY_ATTEMPTS",
      "STORAGE_FAILED",
    ],
    run: async (context, { body }) =>
      answerOf(
        await context.library.register({ ...body, ...fromClient(context) }),
        (registration) => ({ status: 201, body: { email: registration.email } }),
      ),
  }),
  route({
    id: "forgotPassword",
    method: "POST",
    path: "/password/forgot",
    summary:
      "E-mails a reset link to a registered account. The same answer for every e-mail address.",
    rules: ["PWD-2", "LCK-9"],
    session: "none",
    body: z.object({ email }),
    answers: { 202: { description: "If the account exists, a link is on its way." } },
    errors: ["INVALID_INPUT", "TOO_MANY_ATTEMPTS", "THROTTLE_UNAVAILABLE", "STORAGE_FAILED"],
    run: async (context, { body }) =>
      answerOf(
        await context.library.forgotPassword({ email: body.email, ...fromClient(context) }),
        () => ({ status: 202 }),
      ),
  }),
  route({
    id: "inspectPasswordReset",
    method: "POST",
    readOnly: true,
    path: "/password/inspect",
    summary: "Whether a reset link works, without using it.",
    rules: ["ACC-9", "PWD-3"],
    session: "none",
    body: z.object({ token }),
    answers: {
      200: {
        description: "The link works.",
        schema: z.object({ email: z.string(), expiresAt: instant }),
      },
    },
    errors: [...RESET_LINK_REFUSED, "INVALID_INPUT", "STORAGE_FAILED"],
    run: async (context, { body }) =>
      answerOf(await context.library.inspectPasswordReset({ token: body.token }), (link) => ({
        status: 200,
        body: link,
      })),
  }),
  route({
    id: "resetPassword",
    method: "POST",
    path: "/password/reset",
    summary: "Sets a new password through the latest reset link; it also ends a lock (LCK-4).",
    rules: ["PWD-3", "PWD-4", "LCK-4"],
    session: "none",
    body: z.object({ token, password }),
    answers: { 204: { description: "The password is changed; sign in with it." } },
    errors: [
      ...RESET_LINK_REFUSED,
      "INVALID_INPUT",
      "PASSWORD_TOO_COMMON",
      "PASSWORD_SCREEN_UNAVAILABLE",
      "STORAGE_FAILED",
    ],
    run: async (context, { body }) =>
      answerOf(await context.library.resetPassword(body), noContent),
  }),
];
