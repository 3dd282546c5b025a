import type { ActivityEvent, ActivityPage, DomainEventType } from "@panel-access/core";
import { type Context, Hono } from "hono";
import type { Result } from "neverthrow";
import {
  activityListing,
  actorText,
  filtersOf,
  type ListingQuery,
  listingQuery,
  PANEL_KINDS,
  SECURITY_KINDS,
} from "./activity-view.js";
import { html, page, type Viewer } from "./view.js";
import { csrfToken, panelViewerOf, readCookie, viewerOf, type WebApp } from "./web-context.js";

/** How a listing names who did something, and whom it was about. */
interface Naming {
  readonly who: (event: ActivityEvent) => string;
  readonly about?: (event: ActivityEvent) => string;
}

/**
 * AUD-2: the audit trail in the app: a panel's Activity page for its
 * administrators, and a person's own Security activity page.
 */
export function activityRoutes(app: WebApp) {
  const r = new Hono();
  const { panelAccess } = app;

  /**
   * One listing page: the query read, one page listed, and the people named.
   * A link the library refuses (a forged cursor) answers 400; a refused
   * viewer goes to `refusedTo`, as the other pages send them.
   */
  const listing = async (
    c: Context,
    viewer: Viewer,
    parts: {
      readonly title: string;
      readonly path: string;
      readonly kinds: readonly DomainEventType[];
      readonly list: (query: ListingQuery) => Promise<Result<ActivityPage, { type: string }>>;
      readonly refusedTo: string;
      readonly naming: () => Promise<Naming>;
    },
  ) => {
    const frame = {
      title: parts.title,
      viewer,
      csrf: csrfToken(c, app),
      development: app.development,
    };
    const query = listingQuery((name) => c.req.query(name), parts.kinds);
    const listed = query === null ? null : await parts.list(query);
    if (query === null || listed === null || listed.isErr()) {
      const problem = listed?.isErr() ? listed.error.type : "INVALID_INPUT";
      if (problem !== "INVALID_INPUT" && problem !== "STORAGE_FAILED")
        return c.redirect(parts.refusedTo, 303);
      const bad = problem === "INVALID_INPUT";
      return c.html(
        page({
          ...frame,
          notice: bad
            ? "That page link is not valid."
            : "The activity cannot be shown right now. Please try again in a minute.",
          body: html`<p><a class="button" href="${parts.path}">Newest</a></p>`,
        }),
        bad ? 400 : 503,
      );
    }
    const body = activityListing({
      path: parts.path,
      kinds: parts.kinds,
      query,
      page: listed.value,
      ...(await parts.naming()),
    });
    return c.html(page({ ...frame, body }));
  };

  r.get("/p/:panelId/activity", async (c) => {
    const found = await panelViewerOf(c, app);
    if ("redirectTo" in found) return c.redirect(found.redirectTo, 303);
    const { viewer, panel, actor } = found;
    const panelId = panel.id;
    return listing(c, viewer, {
      title: `${panel.name}: Activity`,
      path: `/p/${panelId}/activity`,
      kinds: PANEL_KINDS,
      list: async (query) =>
        await panelAccess.listPanelActivity({
          actor,
          panelId,
          limit: app.activityPageSize,
          ...filtersOf(query),
        }),
      // The same refusal as User Management's actions give a non-administrator.
      refusedTo: `/p/${panelId}?refused=FORBIDDEN`,
      // The trail names people by account id: the panel's members by e-mail;
      // someone removed since is no longer listed, and is shown by id.
      naming: async () => {
        const members = await panelAccess.listMembers({ actor, panelId });
        const emails = new Map(
          members.isOk() ? members.value.map((m) => [m.accountId, m.email]) : [],
        );
        const nameOf = (accountId: string) => emails.get(accountId) ?? `account ${accountId}`;
        return {
          who: (event) => actorText(event.actor, nameOf),
          about: (event) =>
            "accountId" in event && event.accountId !== null
              ? nameOf(event.accountId)
              : "the panel",
        };
      },
    });
  });

  r.get("/settings/activity", async (c) => {
    const viewer = await viewerOf(c, app);
    if (viewer === null) return c.redirect("/login", 303);
    const sessionToken = readCookie(c, app, "session") ?? "";
    return listing(c, viewer, {
      title: "Security activity",
      path: "/settings/activity",
      kinds: SECURITY_KINDS,
      list: async (query) =>
        await panelAccess.listSecurityActivity({
          sessionToken,
          limit: app.activityPageSize,
          ...filtersOf(query),
        }),
      refusedTo: "/login",
      // Every event here is about the viewer; anyone else who acted is an administrator.
      naming: async () => ({
        who: (event) =>
          actorText(event.actor, (accountId) =>
            accountId === viewer.accountId ? "you" : "an administrator",
          ),
      }),
    });
  });

  return r;
}
