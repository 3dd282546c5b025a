import type { ValidSession } from "@panel-access/core";
import type { Context, MiddlewareHandler } from "hono";
import type { PanelAccessHttp, RequestInfo, RunResult } from "./handler.js";

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

/** The guard's refusal as Hono's answer. */
const refuse = (refused: RunResult) =>
  new Response(JSON.stringify(refused.body), {
    status: refused.status,
    headers: withJson(refused.headers),
  });

const withJson = (headers: Headers) => {
  headers.set("Content-Type", "application/json; charset=utf-8");
  return headers;
};

/**
 * Hono glue: `handler` answers the JSON API (mount it with
 * `app.all("/api/auth/*", auth.handler)`), `requireSession` and
 * `requirePanel` guard the host's own routes and put the checked session in
 * `c.var.session`.
 */
export function panelAccessHono(http: PanelAccessHttp) {
  const tokens = new WeakMap<Context, string>();
  return {
    /**
     * For pages rendered on the server: runs a route of the API by its id
     * (`http.run`) with the request's path parameters and socket address;
     * its `Set-Cookie`, `Retry-After` and `Cache-Control: no-store` go onto
     * `c`'s answer, whatever the page answers. Check the form's token first (`formTokenMatches`).
     */
    async run(
      c: Context,
      id: string,
      input: { readonly body?: unknown; readonly query?: Readonly<Record<string, string>> } = {},
    ): Promise<RunResult> {
      const result = await http.run(
        id,
        c.req.raw,
        { ...input, params: c.req.param() as Record<string, string> },
        infoOf(c),
      );
      for (const cookie of result.headers.getSetCookie())
        c.header("Set-Cookie", cookie, { append: true });
      for (const name of ["Retry-After", "Cache-Control"]) {
        const value = result.headers.get(name);
        if (value !== null) c.header(name, value);
      }
      return result;
    },
    /**
     * For forms: the CSRF token of the hidden `_csrf` field; its cookie goes
     * onto `c`'s answer when it is new (once per request).
     */
    formToken(c: Context): string {
      const known = tokens.get(c);
      if (known !== undefined) return known;
      const made = http.formToken(c.req.raw);
      if (made.setCookie !== undefined) c.header("Set-Cookie", made.setCookie, { append: true });
      tokens.set(c, made.token);
      return made.token;
    },
    /** The JSON API as a Hono handler. */
    handler: ((c) => http.handle(c.req.raw, infoOf(c))) as MiddlewareHandler,
    /**
     * 401 `SESSION_INVALID` without a working session (a stale cookie is
     * cleared), 503 when the store is unavailable; otherwise `c.var.session`.
     */
    requireSession(): MiddlewareHandler<{ Variables: PanelAccessVariables }> {
      return async (c, next) => {
        const checked = await http.guard(c.req.raw);
        if ("refused" in checked) return refuse(checked.refused);
        c.set("session", checked.session);
        await next();
      };
    },
    /**
     * PNL-7: as `requireSession`, and 403 `FORBIDDEN` unless the session
     * reaches the panel now (with `role`, in that role). The same 403 for a
     * panel that does not exist, one the person has no access to, and a
     * role they do not hold.
     * @param panelId the panel, or how to read it from the request (e.g. `(c) => c.req.param("panelId")`).
     */
    requirePanel(
      panelId: string | ((c: Context) => unknown),
      role?: string,
    ): MiddlewareHandler<{ Variables: PanelAccessVariables }> {
      return async (c, next) => {
        const id = typeof panelId === "string" ? panelId : panelId(c);
        const checked = await http.guard(c.req.raw, { id, role });
        if ("refused" in checked) return refuse(checked.refused);
        c.set("session", checked.session);
        await next();
      };
    },
  };
}
