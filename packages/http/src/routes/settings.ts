import { z } from "zod";
import { answerOf, noContent, route } from "./route.js";
import { id, instant, password } from "./schemas.js";

const browser = z.object({
  id: z.string(),
  label: z.string().nullable(),
  createdAt: instant,
  lastUsedAt: instant,
  expiresAt: instant,
});

/** The signed-in person's two-factor settings: backup codes and remembered browsers (TFA-5, TFA-6, TFA-13). */
export const settingsRoutes = [
  route({
    id: "countBackupCodes",
    method: "GET",
    path: "/settings/backup-codes",
    summary: "How many unused backup codes are left.",
    rules: ["TFA-5"],
    session: "token",
    answers: { 200: { description: "The count.", schema: z.object({ unused: z.number() }) } },
    errors: ["SESSION_INVALID", "SECOND_FACTOR_SESSION_REQUIRED", "STORAGE_FAILED"],
    run: async (context) =>
      answerOf(
        await context.library.countBackupCodes({ sessionToken: context.sessionToken }),
        (count) => ({ status: 200, body: { unused: count.unused } }),
      ),
  }),
  route({
    id: "regenerateBackupCodes",
    method: "POST",
    path: "/settings/backup-codes",
    summary:
      "A new set of backup codes after the password is entered again; the old set stops working.",
    rules: ["TFA-6", "LCK-1"],
    session: "token",
    body: z.object({ password }),
    answers: {
      200: {
        description: "The new codes, shown once.",
        schema: z.object({ backupCodes: z.array(z.string()) }),
      },
    },
    errors: [
      "SESSION_INVALID",
      "SECOND_FACTOR_SESSION_REQUIRED",
      "LOGIN_FAILED",
      "TOO_MANY_ATTEMPTS",
      "STORAGE_FAILED",
    ],
    run: async (context, { body }) =>
      answerOf(
        await context.library.regenerateBackupCodes({
          sessionToken: context.sessionToken,
          password: body.password,
        }),
        (codes) => ({ status: 200, body: { backupCodes: codes.backupCodes } }),
      ),
  }),
  route({
    id: "listRememberedBrowsers",
    method: "GET",
    path: "/settings/browsers",
    summary: "The browsers that skip the second factor, newest first.",
    rules: ["TFA-13"],
    session: "token",
    answers: {
      200: { description: "The browsers.", schema: z.object({ browsers: z.array(browser) }) },
    },
    errors: ["SESSION_INVALID", "SECOND_FACTOR_SESSION_REQUIRED", "STORAGE_FAILED"],
    run: async (context) =>
      answerOf(
        await context.library.listRememberedBrowsers({ sessionToken: context.sessionToken }),
        (browsers) => ({ status: 200, body: { browsers } }),
      ),
  }),
  route({
    id: "forgetRememberedBrowsers",
    method: "POST",
    setsCookies: "Without browserId: clears this browser's remembered-browser cookie.",
    path: "/settings/browsers/forget",
    summary: "Forgets one remembered browser (`browserId`), or all of them.",
    rules: ["TFA-13"],
    session: "token",
    body: z.object({ browserId: id.optional() }),
    answers: { 204: { description: "Forgotten." } },
    errors: [
      "SESSION_INVALID",
      "SECOND_FACTOR_SESSION_REQUIRED",
      "INVALID_INPUT",
      "REMEMBERED_BROWSER_NOT_FOUND",
      "STORAGE_FAILED",
    ],
    run: async (context, { body }) => {
      const result = await context.library.forgetRememberedBrowsers({
        sessionToken: context.sessionToken,
        ...(body.browserId !== undefined && { browserId: body.browserId }),
      });
      // This browser's own cookie goes too when every browser is forgotten.
      if (result.isOk() && body.browserId === undefined) context.cookieChanges.set("browser", null);
      return answerOf(result, noContent);
    },
  }),
];
