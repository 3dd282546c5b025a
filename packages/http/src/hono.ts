import type { ValidSession } from "@panel-access/core";
import type { Context, MiddlewareHandler } from "hono";
import type { PanelAccessHttp, RequestInfo } from "./handler.js";
import { refusal } from "./web/errors.js";

/** The variables the middleware sets on Hono's context. */
export interface PanelAccessVariables {
  /** The checked session (`requireSession`, `requirePanel`). */
  readonly session: ValidSession;
}

/**
 * The socket's address under `@hono/node-server` (`c.env.incoming`) or Bun
 * (`c.env.requestIP`); `undefined` elsewhere (e.g. `app.request()` in tests).
 */
export function socketAddressOf(c: Context): string | undefined {
  const env = c.env as
    | {
        incoming?: { socket?: { remoteAddress?: string } };
        requestIP?: (request: Request) => { address: string } | null;
      }
    | undefined;
  return env?.incoming?.socket?.remoteAddress ?? env?.requestIP?.(c.req.raw)?.address ?? undefined;
}

const infoOf = (c: Context): RequestInfo => ({ socketAddress: socketAddressOf(c) });

const refuse = (c: Context, type: "SESSION_INVALID" | "FORBIDDEN") => {
  const answer = refusal({ type });
  return c.json(answer.body as object, answer.status as 401 | 403, { "Cache-Control": "no-store" });
};

/**
 * Hono glue: `handler` answers the JSON API (mount it with
 * `app.all("/api/auth/*", auth.handler)`), `requireSession` and
 * `requirePanel` guard the host's own routes and put the checked session in
 * `c.var.session`.
 */
export function panelAccessHono(http: PanelAccessHttp) {
  return {
    /** The JSON API as a Hono handler. */
    handler: ((c) => http.handle(c.req.raw, infoOf(c))) as MiddlewareHandler,
    /** 401 `SESSION_INVALID` without a working session; otherwise `c.var.session`. */
    requireSession(): MiddlewareHandler<{ Variables: PanelAccessVariables }> {
      return async (c, next) => {
        const session = await http.getSession(c.req.raw);
        if (session === undefined) return refuse(c, "SESSION_INVALID");
        c.set("session", session);
        await next();
      };
    },
    /**
     * PNL-7: 401 without a working session; 403 `FORBIDDEN` unless the
     * session reaches the panel now (with `role`, in that role). The same
     * 403 for a panel that does not exist, one the person has no access to,
     * and a role they do not hold.
     * @param panelId the panel, or how to read it from the request (e.g. `(c) => c.req.param("panelId")`).
     */
    requirePanel(
      panelId: string | ((c: Context) => string | undefined),
      role?: string,
    ): MiddlewareHandler<{ Variables: PanelAccessVariables }> {
      return async (c, next) => {
        const session = await http.getSession(c.req.raw);
        if (session === undefined) return refuse(c, "SESSION_INVALID");
        const wanted = typeof panelId === "string" ? panelId : panelId(c);
        const reached = session.panels.find((p) => p.panel.id === wanted);
        if (reached === undefined || (role !== undefined && reached.role !== role))
          return refuse(c, "FORBIDDEN");
        c.set("session", session);
        await next();
      };
    },
  };
}
