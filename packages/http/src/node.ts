import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { ValidSession } from "@panel-access/core";
import type { PanelAccessHttp, RunResult } from "./handler.js";
import { type Answer, refusal } from "./web/errors.js";

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
  const listener = getRequestListener(
    (request, env) => http.handle(request, { socketAddress: env.incoming.socket.remoteAddress }),
    // The host's global Request and Response stay as they are.
    { overrideGlobalObjects: false },
  ) as (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  return async (request, response) => {
    // A body parser mounted before this listener (`express.json()`) has read
    // the body: every route would see none (and sign-in would fail as
    // LOGIN_FAILED). Said loudly instead, once per such request.
    if (
      (request as IncomingMessage & { _body?: unknown })._body === true ||
      request.readableEnded
    ) {
      http.options.onError(
        new Error(
          "the request body was already read: mount toNodeListener before any body parser (express.json(), express.urlencoded())",
        ),
        new Request(new URL(request.url ?? "/", http.options.publicUrl), { method: "GET" }),
      );
      return refuse(response, refusalResult(refusal({ type: "INTERNAL_ERROR" })));
    }
    return listener(request, response);
  };
}

/** A refusal as the guards' result shape. */
const refusalResult = (answer: Answer): RunResult => ({
  status: answer.status,
  body: answer.body,
  headers: new Headers({ "Cache-Control": "no-store" }),
  cookies: {},
});

const headersOf = (request: IncomingMessage) => {
  const headers = new Headers();
  const cookie = request.headers.cookie;
  if (cookie !== undefined) headers.set("cookie", cookie);
  return headers;
};

function refuse(response: ServerResponse, refused: RunResult) {
  const headers: Record<string, string | string[]> = {
    "Content-Type": "application/json; charset=utf-8",
  };
  refused.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const setCookies = refused.headers.getSetCookie();
  if (setCookies.length > 0) headers["Set-Cookie"] = setCookies;
  response.writeHead(refused.status, headers);
  response.end(JSON.stringify(refused.body));
}

/**
 * Express middleware: 401 `SESSION_INVALID` without a working session (a
 * stale cookie is cleared), 503 when the store is unavailable; otherwise the
 * session is `sessionOf(req)`.
 */
export function requireSession(http: PanelAccessHttp) {
  return (request: IncomingMessage & WithSession, response: ServerResponse, next: Next): void => {
    http.guard(headersOf(request)).then((checked) => {
      if ("refused" in checked) return refuse(response, checked.refused);
      request.panelAccessSession = checked.session;
      next();
    }, next);
  };
}

/**
 * Express middleware, PNL-7: as `requireSession`, and 403 `FORBIDDEN`
 * unless the session reaches the panel now (with `role`, in that role); the
 * same 403 whichever part failed.
 * @param panelId the panel, or how to read it from the request (e.g. `(req) => req.params.panelId`).
 */
export function requirePanel<R extends IncomingMessage>(
  http: PanelAccessHttp,
  panelId: string | ((request: R) => unknown),
  role?: string,
) {
  return (request: R & WithSession, response: ServerResponse, next: Next): void => {
    const id = typeof panelId === "string" ? panelId : panelId(request);
    http.guard(headersOf(request), { id, role }).then((checked) => {
      if ("refused" in checked) return refuse(response, checked.refused);
      request.panelAccessSession = checked.session;
      next();
    }, next);
  };
}

/** The session `requireSession` or `requirePanel` checked for this request (`undefined` before them). */
export function sessionOf(request: IncomingMessage): ValidSession | undefined {
  return (request as IncomingMessage & WithSession).panelAccessSession;
}
