import type { Grant } from "@panel-access/core";
import type { Result } from "neverthrow";
import { z } from "zod";
import type { LibraryError } from "../web/errors.js";
import { actorOf, answerOf, noContent, type RouteContext, route } from "./route.js";
import {
  access,
  activityPage,
  activityQuery,
  email,
  instant,
  memberView,
  role,
} from "./schemas.js";
import { withoutUndefined } from "./sessions.js";

/**
 * ACC-5: a member route answers an e-mail without an account as one without
 * a membership here, so an administrator cannot tell, silently, whether
 * someone has an account on another panel.
 */
const asMember = <T>(result: Result<T, LibraryError>): Result<T, LibraryError> =>
  result.mapErr((error) =>
    error.type === "ACCOUNT_NOT_FOUND" ? { type: "MEMBERSHIP_NOT_FOUND" } : error,
  );

/** Who acts and where: the session's account on the path's panel. */
const onPanel = (context: RouteContext) => ({
  actor: actorOf(context),
  panelId: context.params.panelId as string,
});

const grant = z.object({
  accountId: z.string(),
  notice: z.string().describe("Which e-mail went out (an invitation, or a notice of access)."),
  invitationExpiresAt: instant.nullable(),
});
const presentGrant = (value: Grant) => ({
  accountId: value.accountId,
  notice: value.notice,
  invitationExpiresAt: value.invitationExpiresAt?.toISO() ?? null,
});

const adminErrors = [
  "SESSION_INVALID",
  "FORBIDDEN",
  "INVALID_INPUT",
  "PANEL_NOT_FOUND",
  "BUSY",
  "STORAGE_FAILED",
];
const byEmail = z.object({ email });
const grantBody = z.object({ email, role, access });

/**
 * A panel's administration, for its administrators (ACC-1..7, PNL-2..6,
 * TFA-8, AUD-2). The session must reach the panel now (PNL-7); the library
 * checks the role (ACC-5). A panel the session does not reach answers 403,
 * like one that does not exist.
 */
export const memberRoutes = [
  route({
    id: "listMembers",
    method: "GET",
    path: "/panels/{panelId}/members",
    params: ["panelId"],
    summary: "The panel's members with their status.",
    rules: ["ACC-5"],
    session: "checked",
    answers: {
      200: { description: "The members.", schema: z.object({ members: z.array(memberView) }) },
    },
    errors: adminErrors,
    run: async (context) =>
      answerOf(await context.library.listMembers(onPanel(context)), (members) => ({
        status: 200,
        body: { members },
      })),
  }),
  route({
    id: "addMember",
    method: "POST",
    path: "/panels/{panelId}/members",
    params: ["panelId"],
    summary: "Adds a person (an invitation when unregistered), or updates their membership.",
    rules: ["ACC-1", "ACC-2", "ACC-2b", "ACC-4"],
    session: "checked",
    body: grantBody,
    answers: { 201: { description: "Granted.", schema: grant } },
    errors: [...adminErrors, "ACCESS_END_NOT_IN_FUTURE"],
    run: async (context, { body }) =>
      answerOf(await context.library.addMember({ ...onPanel(context), ...body }), (value) => ({
        status: 201,
        body: presentGrant(value),
      })),
  }),
  route({
    id: "changeAccess",
    method: "POST",
    path: "/panels/{panelId}/members/change",
    params: ["panelId"],
    summary: "Changes a live membership's role, access term or both.",
    rules: ["PNL-2", "PNL-3", "PNL-6"],
    session: "checked",
    body: z.object({ email, role: role.optional(), access: access.optional() }),
    answers: { 204: { description: "Changed." } },
    errors: [
      ...adminErrors,
      "MEMBERSHIP_NOT_FOUND",
      "ACCESS_ENDED",
      "ACCESS_END_NOT_IN_FUTURE",
      "LAST_ADMINISTRATOR",
    ],
    run: async (context, { body }) =>
      answerOf(
        asMember(
          await context.library.changeAccess({
            ...onPanel(context),
            ...withoutUndefined(body),
          } as Parameters<typeof context.library.changeAccess>[0]),
        ),
        noContent,
      ),
  }),
  route({
    id: "reinviteMember",
    method: "POST",
    path: "/panels/{panelId}/members/reinvite",
    params: ["panelId"],
    summary: "Restores ended or removed access; registered people need no new registration.",
    rules: ["PNL-3", "PNL-5"],
    session: "checked",
    body: grantBody,
    answers: { 201: { description: "Granted again.", schema: grant } },
    errors: [...adminErrors, "ACCESS_STILL_LIVE", "ACCESS_END_NOT_IN_FUTURE"],
    run: async (context, { body }) =>
      answerOf(await context.library.reinviteMember({ ...onPanel(context), ...body }), (value) => ({
        status: 201,
        body: presentGrant(value),
      })),
  }),
  route({
    id: "resendInvitation",
    method: "POST",
    path: "/panels/{panelId}/members/resend-invitation",
    params: ["panelId"],
    summary: "A new invitation for an unregistered member; older links stop working.",
    rules: ["ACC-7", "ACC-4"],
    session: "checked",
    body: byEmail,
    answers: {
      201: {
        description: "Sent.",
        schema: z.object({ invitationExpiresAt: instant }),
      },
    },
    errors: [...adminErrors, "MEMBERSHIP_NOT_FOUND", "ALREADY_REGISTERED", "ACCESS_ENDED"],
    run: async (context, { body }) =>
      answerOf(
        asMember(await context.library.resendInvitation({ ...onPanel(context), ...body })),
        (sent) => ({
          status: 201,
          body: { invitationExpiresAt: sent.invitationExpiresAt.toISO() },
        }),
      ),
  }),
  route({
    id: "removeMember",
    method: "POST",
    path: "/panels/{panelId}/members/remove",
    params: ["panelId"],
    summary: "Removes one membership; the account stays.",
    rules: ["PNL-4", "PNL-6"],
    session: "checked",
    body: byEmail,
    answers: { 204: { description: "Removed." } },
    errors: [...adminErrors, "MEMBERSHIP_NOT_FOUND", "LAST_ADMINISTRATOR"],
    run: async (context, { body }) =>
      answerOf(
        asMember(await context.library.removeMember({ ...onPanel(context), ...body })),
        noContent,
      ),
  }),
  route({
    id: "resetTwoFactor",
    method: "POST",
    path: "/panels/{panelId}/members/reset-two-factor",
    params: ["panelId"],
    summary:
      "Resets a member's two-factor authentication; refused when they also reach panels you do not administer.",
    rules: ["TFA-8"],
    session: "checked",
    body: byEmail,
    answers: { 204: { description: "Reset: the next login sets it up again." } },
    errors: [...adminErrors, "MEMBERSHIP_NOT_FOUND", "TWO_FACTOR_RESET_NEEDS_SUPPORT"],
    run: async (context, { body }) =>
      answerOf(
        asMember(await context.library.resetTwoFactor({ ...onPanel(context), ...body })),
        noContent,
      ),
  }),
  route({
    id: "listPanelActivity",
    method: "GET",
    path: "/panels/{panelId}/activity",
    params: ["panelId"],
    summary: "The panel's audit trail, newest first, paged.",
    rules: ["AUD-2"],
    session: "checked",
    query: activityQuery,
    answers: { 200: { description: "One page.", schema: activityPage } },
    errors: adminErrors,
    run: async (context, { query }) =>
      answerOf(
        await context.library.listPanelActivity({
          ...onPanel(context),
          ...withoutUndefined(query),
        } as Parameters<typeof context.library.listPanelActivity>[0]),
        (page) => ({ status: 200, body: page }),
      ),
  }),
];
