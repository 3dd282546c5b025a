import type { ActivityEvent, ActivityPage, DomainEventType, MemberView } from "@panel-access/core";
import { type Context, Hono } from "hono";
import {
  activityListing,
  actorText,
  filtersOf,
  listingQuery,
  PANEL_KINDS,
  SECURITY_KINDS,
} from "./activity-view.js";
import { html } from "./view.js";
import { kit, type WebApp } from "./web.js";

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
  const { show, run, viewerOf, panelOf } = kit(app);

  /**
   * One listing page: the query read, one page listed (a route of the
   * package), and the people named. A link the library refuses (a forged
   * cursor, a kind the page does not offer) answers 400; a refused viewer
   * goes to `refusedTo`, as the other pages send them.
   */
  const listing = async (
    c: Context,
    parts: {
      readonly title: string;
      readonly viewer: Parameters<typeof show>[1]["viewer"];
      readonly path: string;
      readonly route: string;
      readonly kinds: readonly DomainEventType[];
      readonly refusedTo: string;
      readonly naming: () => Promise<Naming>;
    },
  ) => {
    const frame = { title: parts.title, viewer: parts.viewer };
    const query = listingQuery((name) => c.req.query(name), parts.kinds);
    const listed =
      query === null
        ? null
        : await run<ActivityPage>(
            c,
            parts.route,
            undefined,
            filtersOf(query, app.activityPageSize),
          );
    if (query === null || listed === null || !listed.ok) {
      const refused = listed?.ok === false ? listed : undefined;
      if (refused?.status === 401 || refused?.status === 403)
        return c.redirect(parts.refusedTo, 303);
      const bad = refused === undefined || refused.status === 400;
      return show(c, {
        ...frame,
        notice: bad ? "That page link is not valid." : refused.notice,
        status: bad ? 400 : refused.status,
        body: html`<p><a class="button" href="${parts.path}">Newest</a></p>`,
      });
    }
    const naming = await parts.naming();
    const body = activityListing({ ...parts, ...naming, query, page: listed.value });
    return show(c, { ...frame, body });
  };

  r.get("/p/:panelId/activity", async (c) => {
    const found = await panelOf(c);
    if (found.redirectTo) return c.redirect(found.redirectTo, 303);
    const { viewer, panel } = found;
    return listing(c, {
      title: `${panel.name}: Activity`,
      viewer,
      path: `/p/${panel.id}/activity`,
      route: "listPanelActivity",
      kinds: PANEL_KINDS,
      // The same refusal as User Management's actions give a non-administrator.
      refusedTo: `/p/${panel.id}?refused=FORBIDDEN`,
      // The trail names people by account id: the panel's members by e-mail;
      // someone removed since is no longer listed, and is shown by id.
      naming: async () => {
        const members = await run<{ members: MemberView[] }>(c, "listMembers");
        const emails = new Map(
          members.ok ? members.value.members.map((m) => [m.accountId, m.email]) : [],
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
    const viewer = await viewerOf(c);
    if (viewer === undefined) return c.redirect("/login", 303);
    return listing(c, {
      title: "Security activity",
      viewer,
      path: "/settings/activity",
      route: "listSecurityActivity",
      kinds: SECURITY_KINDS,
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
