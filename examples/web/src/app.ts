import { readFile } from "node:fs/promises";
import { panelAccessHono } from "@panel-access/http/hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { accountRoutes } from "./routes-account.js";
import { activityRoutes } from "./routes-activity.js";
import { devRoutes } from "./routes-dev.js";
import { linkRoutes } from "./routes-links.js";
import { panelRoutes } from "./routes-panels.js";
import { signInRoutes } from "./routes-sign-in.js";
import type { WebApp } from "./web.js";

const STATIC = new URL("../static/", import.meta.url);
const STATIC_FILES: Record<string, string> = {
  "app.css": "text/css; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
};

/** The largest request body accepted (every form of the app fits in a few KiB). */
export const BODY_LIMIT = 64 * 1024;

/**
 * The Hono app: security headers, a body limit and CSRF checks around every
 * route; the JSON API of `@panel-access/http` at `/api/auth/*` beside the
 * pages; the development routes only in development mode (404 otherwise).
 */
export function createWebApp(app: WebApp): Hono {
  const web = new Hono();
  web.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      // Link pages carry a token in their URL: it must never leak in a Referer.
      referrerPolicy: "no-referrer",
      strictTransportSecurity: app.http.options.secure
        ? "max-age=31536000; includeSubDomains"
        : false,
    }),
  );
  web.use("*", async (c, next) => {
    c.header("Cache-Control", "no-store");
    await next();
  });
  // Before anything reads the body; counts the bytes when there is no Content-Length.
  web.use(
    "*",
    bodyLimit({ maxSize: BODY_LIMIT, onError: (c) => c.text("Request body too large", 413) }),
  );
  // The JSON API, for scripts and other front ends (its own CSRF checks, body limit and answers).
  web.all(`${app.http.options.basePath}/*`, panelAccessHono(app.http).handler);
  web.use("*", async (c, next) => {
    if (c.req.method !== "POST") return next();
    // CSRF, first line: a post from another site's page is refused by its Origin (Sec-Fetch-Site).
    if (!app.http.originAllowed(c.req.raw)) return c.text("Forbidden", 403);
    // The test routes take JSON; outside development mode nothing answers there but 404.
    if (c.req.path.startsWith("/__test/")) return next();
    const type = c.req.header("content-type") ?? "";
    if (
      !type.startsWith("application/x-www-form-urlencoded") &&
      !type.startsWith("multipart/form-data")
    ) {
      return c.text("Unsupported", 415);
    }
    // CSRF for forms (double submit): the hidden `_csrf` field must match its cookie.
    const form = await c.req.parseBody();
    if (!app.http.formTokenMatches(c.req.raw, form._csrf))
      return c.text("The form expired: go back, reload and try again.", 403);
    return next();
  });

  web.get("/static/:file", async (c) => {
    const file = c.req.param("file");
    const type = STATIC_FILES[file];
    if (type === undefined) return c.notFound();
    return c.body(await readFile(new URL(file, STATIC), "utf8"), 200, {
      "Content-Type": type,
      "Cache-Control": "max-age=300",
    });
  });
  for (const routes of [signInRoutes, linkRoutes, panelRoutes, accountRoutes, activityRoutes])
    web.route("/", routes(app));
  if (app.development && app.mailbox !== undefined) web.route("/", devRoutes(app, app.mailbox));
  return web;
}
