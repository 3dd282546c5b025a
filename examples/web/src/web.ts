import type { PanelAccess } from "@panel-access/core";
import {
  type CookieKind,
  type ErrorBody,
  type PanelAccessHttp,
  type RunResult,
  refusal,
} from "@panel-access/http";
import { panelAccessHono } from "@panel-access/http/hono";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { OffsetClock } from "./clock.js";
import type { DevMailbox } from "./mailbox.js";
import { html, type PageParts, page } from "./view.js";

/** What every route needs. */
export interface WebApp {
  readonly panelAccess: PanelAccess;
  /** The web layer: the JSON API, the page routes' use cases, cookies, CSRF, the client's address. */
  readonly http: PanelAccessHttp;
  /** Development mode: the mail viewer and `/__test/clock` are mounted (never in production). */
  readonly development: boolean;
  /** The mail viewer's outbox, in development mode only (otherwise mail goes out over SMTP). */
  readonly mailbox: DevMailbox | undefined;
  readonly clock: OffsetClock;
  /** What the support page asks for (`SUPPORT_KEY`; in development mode, printed once at start). */
  readonly supportKey: string;
  /** AUD-2: how many events an activity page shows before its "Older" link. */
  readonly activityPageSize: number;
  /** 2FA setup screens waiting for their code, by challenge (the secret never goes into a cookie). */
  readonly pendingSetups: Map<
    string,
    { readonly secret: string; readonly qrSvg: string; readonly until: number }
  >;
}

/** A route of `@panel-access/http` as a page sees it: its value, or what to tell the person. */
export type Ran<T> =
  | {
      readonly ok: true;
      readonly status: number;
      readonly value: T;
      readonly cookies: RunResult["cookies"];
    }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly notice: string };

/** What a page tells and answers besides its content: a notice, and the HTTP status (200 when absent). */
export interface Said {
  readonly notice?: string | undefined;
  readonly status?: number | undefined;
}

/** The notice for a refusal's code named by a redirect (`?refused=`): never text from the URL. */
export const noticeFor = (code: string | undefined) =>
  code === undefined ? undefined : (refusal({ type: code }).body as ErrorBody).error.message;

/** The helpers every page route uses, bound to the app. */
export function kit(app: WebApp) {
  const auth = panelAccessHono(app.http);
  const viewerOf = (c: Context) => app.http.getSession(c.req.raw);
  /** CSRF for forms: the token of the hidden `_csrf` field; its cookie goes with the page when new. */
  const csrf = (c: Context) => auth.formToken(c);
  return {
    /** The hidden CSRF field every form carries. */
    field: (c: Context) => html`<input type="hidden" name="_csrf" value="${csrf(c)}">`,
    /** SES-1, PNL-7: the signed-in person and the panels they reach now, or `undefined`. */
    viewerOf,
    /** The signed-in person on one of their panels' pages (`/p/:panelId…`), or where to send them. */
    async panelOf(c: Context) {
      const viewer = await viewerOf(c);
      if (viewer === undefined) return { redirectTo: "/login" } as const;
      const panel = viewer.panels.find((p) => p.panel.id === c.req.param("panelId"))?.panel;
      return panel === undefined ? ({ redirectTo: "/" } as const) : { viewer, panel };
    },
    cookie: (c: Context, kind: CookieKind) => app.http.cookies.read(c.req.raw.headers, kind),
    /** The form's text fields (parsed once, by the CSRF check). */
    fields: async (c: Context) =>
      Object.fromEntries(
        Object.entries(await c.req.parseBody()).filter(
          (entry): entry is [string, string] => typeof entry[1] === "string",
        ),
      ) as Partial<Record<string, string>>,
    /** Answers a page in the frame, with `status` (a refused run's notice and status fit as they are). */
    show: (
      c: Context,
      { status = 200, ...parts }: Omit<PageParts, "csrf" | "development"> & Said,
    ) =>
      c.html(
        page({ ...parts, csrf: csrf(c), development: app.development }),
        status as ContentfulStatusCode,
      ),
    /**
     * Runs a route of `@panel-access/http` by its id, with the path's
     * parameters and the socket's address (LCK-9): its cookies and
     * `Retry-After` go with whatever the page answers.
     */
    async run<T = unknown>(
      c: Context,
      id: string,
      body?: object,
      query?: Record<string, string>,
    ): Promise<Ran<T>> {
      const result = await auth.run(c, id, { body, ...(query && { query }) });
      if (result.status < 400)
        return {
          ok: true,
          status: result.status,
          value: result.body as T,
          cookies: result.cookies,
        };
      const { error } = result.body as ErrorBody;
      return { ok: false, status: result.status, code: error.code, notice: error.message };
    },
  };
}
