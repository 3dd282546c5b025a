import { randomBytes, timingSafeEqual } from "node:crypto";
import type { PanelAccess } from "@panel-access/core";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { OffsetClock } from "./clock.js";
import type { DevMailbox } from "./mailbox.js";
import type { Viewer } from "./view.js";

/** What every route needs. */
export interface WebApp {
  readonly panelAccess: PanelAccess;
  /** Development mode: the mail viewer and `/__test/clock` are mounted (never in production). */
  readonly development: boolean;
  /** The mail viewer's outbox, in development mode only (otherwise mail goes out over SMTP). */
  readonly mailbox: DevMailbox | undefined;
  readonly clock: OffsetClock;
  /** Served over HTTPS: cookies get `Secure` and the `__Host-` prefix. */
  readonly secure: boolean;
  /** What the support page asks for (`SUPPORT_KEY`; in development mode, printed once at start). */
  readonly supportKey: string;
  /**
   * LCK-9: how many proxies of our own stand in front of the app
   * (`TRUSTED_PROXIES`). 0: the client's address is the socket's, and
   * `X-Forwarded-For` is ignored (see `client-address.ts`).
   */
  readonly trustedProxies: number;
  /** AUD-2: how many events an activity page shows before its "Older" link. */
  readonly activityPageSize: number;
  /** 2FA setup screens waiting for their code, by challenge (the secret never goes into a cookie). */
  readonly pendingSetups: Map<
    string,
    {
      readonly uri: string;
      readonly secret: string;
      readonly qrSvg: string;
      readonly until: number;
    }
  >;
}

/** The cookies the app sets. */
export type CookieName = "session" | "challenge" | "browser" | "csrf";

const LIFETIMES: Record<CookieName, number | undefined> = {
  session: undefined, // a browser-session cookie; the library enforces idle and absolute limits
  challenge: 10 * 60,
  browser: 7 * 24 * 3600, // TFA-7
  csrf: undefined,
};

const cookieName = (app: WebApp, name: CookieName) => (app.secure ? `__Host-${name}` : name);

/** `HttpOnly`, `SameSite=Lax`, `Path=/`, and `Secure` with the `__Host-` prefix over HTTPS. */
export function putCookie(c: Context, app: WebApp, name: CookieName, value: string): void {
  const maxAge = LIFETIMES[name];
  setCookie(c, cookieName(app, name), value, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    secure: app.secure,
    ...(maxAge !== undefined && { maxAge }),
  });
}

export function readCookie(c: Context, app: WebApp, name: CookieName): string | undefined {
  return getCookie(c, cookieName(app, name));
}

export function dropCookie(c: Context, app: WebApp, name: CookieName): void {
  deleteCookie(c, cookieName(app, name), { path: "/", secure: app.secure });
}

/**
 * CSRF (double-submit): a random token in an HttpOnly cookie and in a hidden
 * field of every form; a POST whose field does not match is refused. On top,
 * `hono/csrf` refuses cross-origin form posts by their Origin header.
 */
export function csrfToken(c: Context, app: WebApp): string {
  const existing = readCookie(c, app, "csrf");
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString("base64url");
  putCookie(c, app, "csrf", token);
  return token;
}

export function csrfMatches(c: Context, app: WebApp, submitted: unknown): boolean {
  const expected = readCookie(c, app, "csrf");
  if (typeof submitted !== "string" || expected === undefined) return false;
  const a = Buffer.from(submitted);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The signed-in person, from the session cookie (checked by the library at each request, PNL-7). */
export async function viewerOf(
  c: Context,
  app: WebApp,
): Promise<(Viewer & { accountId: string }) | null> {
  const sessionToken = readCookie(c, app, "session");
  if (sessionToken === undefined) return null;
  const session = await app.panelAccess.validateSession({ sessionToken });
  if (session.isErr()) return null;
  return {
    accountId: session.value.accountId,
    email: session.value.email,
    panels: session.value.panels.map((p) => ({ id: p.panel.id, name: p.panel.name })),
  };
}

/**
 * The signed-in person on one of their panels' pages (`/p/:panelId…`), the
 * panel and the person acting as an account; or where to send them: to sign
 * in, or home when the panel is not one of theirs.
 */
export async function panelViewerOf(
  c: Context,
  app: WebApp,
): Promise<
  | {
      readonly viewer: Viewer & { accountId: string };
      readonly panel: Viewer["panels"][number];
      readonly actor: { readonly type: "account"; readonly accountId: string };
    }
  | { readonly redirectTo: string }
> {
  const viewer = await viewerOf(c, app);
  if (viewer === null) return { redirectTo: "/login" };
  const panel = viewer.panels.find((p) => p.id === c.req.param("panelId"));
  if (panel === undefined) return { redirectTo: "/" };
  return { viewer, panel, actor: { type: "account", accountId: viewer.accountId } };
}

/** TFA-13: a label for a remembered browser that a person recognises ("Chrome on Linux"). */
export function browserLabel(userAgent: string | undefined): string {
  const ua = userAgent ?? "";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(ua)
        ? "Chrome"
        : /Safari\//.test(ua)
          ? "Safari"
          : "A browser";
  const system = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad/.test(ua)
      ? "iOS"
      : /Windows/.test(ua)
        ? "Windows"
        : /Mac OS X/.test(ua)
          ? "macOS"
          : /Linux/.test(ua)
            ? "Linux"
            : "";
  return system ? `${browser} on ${system}` : browser;
}
