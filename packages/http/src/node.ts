import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { ValidSession } from "@panel-access/core";
import type { PanelAccessHttp } from "./handler.js";
import { refusal } from "./web/errors.js";

/** A Node request after `requireSession` or `requirePanel`. */
export interface WithSession {
  /** The checked session. */
  panelAccessSession?: ValidSession;
}

/** Express-style `next`. */
type Next = (error?: unknown) => void;

/**
 * The JSON API as a Node request listener (`http.createServer`, or an
 * Express handler): `@hono/node-server`'s bridge from Node's request to the
 * Fetch `Request`, the socket's address passed on for LCK-9. Mount it where
 * the URL is not rewritten (Express: `app.use((req, res, next) =>
 * req.path.startsWith("/api/auth/") ? listener(req, res) : next())`).
 */
export function toNodeListener(
  http: PanelAccessHttp,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return getRequestListener((request, env) =>
    http.handle(request, { socketAddress: env.incoming.socket.remoteAddress }),
  ) as (request: IncomingMessage, response: ServerResponse) => Promise<void>;
}

const headersOf = (request: IncomingMessage) => {
  const headers = new Headers();
  const cookie = request.headers.cookie;
  if (cookie !== undefined) headers.set("cookie", cookie);
  return headers;
};

function refuse(response: ServerResponse, type: "SESSION_INVALID" | "FORBIDDEN") {
  const answer = refusal({ type });
  response.writeHead(answer.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
  });
  response.end(JSON.stringify(answer.body));
}

/** Express middleware: 401 `SESSION_INVALID` without a working session; otherwise `req.panelAccessSession`. */
export function requireSession(http: PanelAccessHttp) {
  return (request: IncomingMessage & WithSession, response: ServerResponse, next: Next): void => {
    http.getSession(headersOf(request)).then((session) => {
      if (session === undefined) return refuse(response, "SESSION_INVALID");
      request.panelAccessSession = session;
      next();
    }, next);
  };
}

/**
 * Express middleware, PNL-7: 401 without a working session; 403 `FORBIDDEN`
 * unless it reaches the panel now (with `role`, in that role); the same 403
 * whichever part failed.
 * @param panelId the panel, or how to read it from the request (e.g. `(req) => req.params.panelId`).
 */
export function requirePanel<R extends IncomingMessage>(
  http: PanelAccessHttp,
  panelId: string | ((request: R) => string | undefined),
  role?: string,
) {
  return (request: R & WithSession, response: ServerResponse, next: Next): void => {
    http.getSession(headersOf(request)).then((session) => {
      if (session === undefined) return refuse(response, "SESSION_INVALID");
      const wanted = typeof panelId === "string" ? panelId : panelId(request);
      const reached = session.panels.find((p) => p.panel.id === wanted);
      if (reached === undefined || (role !== undefined && reached.role !== role))
        return refuse(response, "FORBIDDEN");
      request.panelAccessSession = session;
      next();
    }, next);
  };
}

/** The session `requireSession` or `requirePanel` checked for this request (`undefined` before them). */
export function sessionOf(request: IncomingMessage): ValidSession | undefined {
  return (request as IncomingMessage & WithSession).panelAccessSession;
}
