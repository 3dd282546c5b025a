import { readFile } from "node:fs/promises";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import { accountRoutes } from "./routes-account.js";
import { activityRoutes } from "./routes-activity.js";
import { authRoutes } from "./routes-auth.js";
import { devRoutes } from "./routes-dev.js";
import { panelRoutes } from "./routes-panels.js";
import { csrfMatches, type WebApp } from "./web-context.js";

const STATIC = new URL("../static/", import.meta.url);
const STATIC_FILES: Record<string, string> = {
  "app.css": "text/css; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
};

/** The largest request body accepted (every form of the app fits in a few KiB). */
export const BODY_LIMIT = 64 * 1024;

/**
 * The Hono app: security headers, a body limit and CSRF checks around every
 * route; the development routes only in development mode (404 otherwise).
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
      strictTransportSecurity: app.secure ? "max-age=31536000; includeSubDomains" : false,
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
  web.use("*", csrf()); // cross-origin form posts are refused by their Origin header
  web.use("*", async (c, next) => {
    if (c.req.method !== "POST") return next();
    // The test routes take JSON; outside development mode nothing answers there but 404.
    if (c.req.path.startsWith("/__test/")) return next();
    const type = c.req.header("content-type") ?? "";
    if (
      !type.startsWith("application/x-www-form-urlencoded") &&
      !type.startsWith("multipart/form-data")
    ) {
      return c.text("Unsupported", 415);
    }
    const form = await c.req.parseBody();
    if (!csrfMatches(c, app, form._csrf))
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
  web.route("/", authRoutes(app));
  web.route("/", panelRoutes(app));
  web.route("/", accountRoutes(app));
  web.route("/", activityRoutes(app));
  if (app.development && app.mailbox !== undefined) web.route("/", devRoutes(app, app.mailbox));
  return web;
}
