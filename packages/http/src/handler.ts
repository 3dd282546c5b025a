import type { PanelAccess, ValidSession } from "@panel-access/core";
import { buildOpenApiDocument, type OpenApiDocument } from "./openapi.js";
import {
  type CookieKind,
  type HttpOptions,
  type ResolvedHttpOptions,
  resolveHttpOptions,
} from "./options.js";
import { ROUTES } from "./routes/index.js";
import type { Route, RouteContext } from "./routes/route.js";
import { clientAddressOf } from "./web/client-address.js";
import { CookieJar } from "./web/cookies.js";
import { formToken, formTokenMatches, originAllowed, SAFE_METHODS } from "./web/csrf.js";
import { type Answer, type ErrorBody, refusal } from "./web/errors.js";
import { readJsonBody } from "./web/read-body.js";

/** What the host knows of a request beyond the `Request` itself. */
export interface RequestInfo {
  /**
   * The socket's remote address (Node: `request.socket.remoteAddress`; Bun:
   * `server.requestIP(request)?.address`). Without it the client's address
   * is unknown and only the per-e-mail and per-instance throttles apply (LCK-9).
   */
  readonly socketAddress?: string | undefined;
}

/** A route's answer before it becomes a `Response` (for hosts that render pages). */
export interface RunResult {
  readonly status: number;
  /** The JSON body (absent for 204). A refusal's is `{ error: { code, message } }`. */
  readonly body: unknown;
  /** `Set-Cookie` and the other headers to send with whatever the host answers. */
  readonly headers: Headers;
  /**
   * The cookies the route set (their values: the session token, the
   * challenge…) or cleared (`null`), for a host that renders the next page
   * itself. They are also in `headers`.
   */
  readonly cookies: Readonly<Partial<Record<CookieKind, string | null>>>;
}

/** The web layer (`createPanelAccessHttp`). */
export interface PanelAccessHttp {
  /** The options in force, defaults filled in. */
  readonly options: ResolvedHttpOptions;
  /** Every route of the JSON API. */
  readonly routes: readonly Route[];
  /** The cookies: names, reading, `Set-Cookie` values. */
  readonly cookies: CookieJar;
  /**
   * The Fetch handler of the JSON API: answers every request under
   * `basePath` (404 JSON elsewhere, so mount it under `basePath`). Never
   * throws: every answer is a `Response`, with a JSON body unless it is 204.
   */
  handle(request: Request, info?: RequestInfo): Promise<Response>;
  /**
   * Runs one route by its id (`"login"`, `"register"`…) with a body already
   * parsed, for a host that renders pages from classic form posts: the same
   * origin check (by the route's method: a state-changing route carried by a
   * GET is refused; none for the read-only routes), session and schema checks
   * and cookies as `handle`, without JSON on the wire (so no 413 or 415). The
   * host checks the form's CSRF token first (`formTokenMatches`).
   */
  run(
    id: string,
    request: Request,
    input?: {
      readonly body?: unknown;
      readonly params?: Readonly<Record<string, string>>;
      readonly query?: Readonly<Record<string, string>>;
    },
    info?: RequestInfo,
  ): Promise<RunResult>;
  /**
   * SES-1, PNL-7: the request's session (from its cookie), checked by the
   * library, or `undefined` when it has none that works. A stale or forged
   * cookie counts as absent.
   */
  getSession(request: Request | Headers): Promise<ValidSession | undefined>;
  /**
   * The guard behind `requireSession` and `requirePanel`: the checked
   * session that reaches `panel` now (in `role`, when given), or the refusal
   * to send: `401 SESSION_INVALID` (with the `Set-Cookie` that clears a
   * stale cookie), `403 FORBIDDEN` (the same whether the panel does not
   * exist, is not reached now, or is reached in another role), or `503`
   * when the store is unavailable (not a sign-out).
   */
  guard(
    request: Request | Headers,
    panel?: { readonly id: unknown; readonly role?: string | undefined },
  ): Promise<{ readonly session: ValidSession } | { readonly refused: RunResult }>;
  /** LCK-9: the client's address, from the socket or through the trusted proxies. */
  clientAddress(request: Request | Headers, info?: RequestInfo): string | undefined;
  /** CSRF: whether a state-changing request comes from a trusted origin (`Origin`, `Sec-Fetch-Site`). */
  originAllowed(request: Request): boolean;
  /** CSRF for form posts: the token for a hidden `_csrf` field, and the cookie to set when new. */
  formToken(request: Request | Headers): { readonly token: string; readonly setCookie?: string };
  /** CSRF for form posts: whether the submitted token matches the cookie (constant time). */
  formTokenMatches(request: Request | Headers, submitted: unknown): boolean;
  /** The OpenAPI 3.1 document of the JSON API (also served at `basePath` + `/openapi.json`). */
  openapi(): OpenApiDocument;
}

const headersOf = (from: Request | Headers) => (from instanceof Headers ? from : from.headers);

/**
 * The web layer of a `PanelAccess`: a Fetch-standard JSON API for every
 * flow a browser drives, its cookies, CSRF checks, session helpers and the
 * client's address. Runs unchanged on Hono, Next.js route handlers, Bun and
 * Deno; on Node/Express through `@panel-access/http/node`.
 *
 * @throws PanelAccessConfigError for invalid `options` (at start-up).
 */
export function createPanelAccessHttp(
  library: PanelAccess,
  httpOptions: HttpOptions,
): PanelAccessHttp {
  const options = resolveHttpOptions(httpOptions);
  const cookies = new CookieJar(options, library.options);
  const byId = new Map(ROUTES.map((r) => [r.id, r]));
  const routes = ROUTES.map((r) => ({ route: r, segments: r.path.split("/").slice(1) }));
  let openapi: OpenApiDocument | undefined;

  const clientAddress = (from: Request | Headers, info?: RequestInfo) =>
    clientAddressOf(headersOf(from), info?.socketAddress, options);

  /**
   * SES-1, PNL-7: the session of the request's cookie, checked by the
   * library, reaching `panel` now (in its role, when given); or the refusal.
   * A cookie that is malformed or that the library no longer knows is
   * cleared; an unavailable store is its own refusal (503), not a sign-out.
   */
  async function checkSession(
    headers: Headers,
    changes: CookieChanges,
    panel?: { readonly id: unknown; readonly role?: string | undefined },
  ): Promise<{ readonly session: ValidSession } | { readonly answer: Answer }> {
    const sessionToken = cookies.read(headers, "session");
    const invalid = () => {
      if (cookies.sent(headers, "session")) changes.set("session", null);
      return { answer: refusal({ type: "SESSION_INVALID" }) };
    };
    if (sessionToken === undefined) return invalid();
    const checked = await library.validateSession({ sessionToken });
    if (checked.isErr()) {
      const gone =
        checked.error.type === "SESSION_INVALID" || checked.error.type === "INVALID_INPUT";
      return gone ? invalid() : { answer: refusal(checked.error) };
    }
    if (panel !== undefined) {
      const reached = checked.value.panels.find((p) => p.panel.id === panel.id);
      // The same answer whether the panel does not exist, is not reached now, or in another role.
      if (reached === undefined || (panel.role !== undefined && reached.role !== panel.role))
        return { answer: refusal({ type: "FORBIDDEN" }) };
    }
    return { session: checked.value };
  }

  const guard: PanelAccessHttp["guard"] = async (from, panel) => {
    const changes: CookieChanges = new Map();
    const checked = await checkSession(headersOf(from), changes, panel);
    if ("session" in checked) return checked;
    return {
      refused: {
        status: checked.answer.status,
        body: checked.answer.body,
        headers: headersFor(checked.answer, cookies, changes),
        cookies: Object.fromEntries(changes),
      },
    };
  };

  const getSession = async (from: Request | Headers) => {
    const checked = await checkSession(headersOf(from), new Map());
    return "session" in checked ? checked.session : undefined;
  };

  /** Matches a path below the base path: the route and its parameters, or the methods it takes. */
  function match(path: string, method: string) {
    const parts = path.split("/").slice(1);
    const allowed: string[] = [];
    for (const { route, segments } of routes) {
      if (segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const fits = segments.every((segment, i) => {
        const part = parts[i] as string;
        if (!segment.startsWith("{")) return segment === part;
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(part)) return false;
        params[segment.slice(1, -1)] = part;
        return true;
      });
      if (!fits) continue;
      if (route.method === method) return { route, params };
      allowed.push(route.method);
    }
    return { allowed };
  }

  /** The checks every route shares, then the route: an answer and the cookies it sets. */
  async function perform(
    route: Route,
    request: Request,
    params: Readonly<Record<string, string>>,
    input: { body: unknown; query: Readonly<Record<string, string>> },
    info: RequestInfo | undefined,
    changes: CookieChanges,
  ): Promise<Answer> {
    // Checked as the route's method, whatever carried it: a host that runs a
    // state-changing route from a GET link (`run`) gets it refused, as a
    // cross-site navigation would otherwise carry the Lax session cookie.
    const changesState = route.method !== "GET" && route.readOnly !== true;
    if (changesState && SAFE_METHODS.has(request.method)) return refusal({ type: "CSRF_REJECTED" });
    if (changesState && !originAllowed(request, options, route.method))
      return refusal({ type: "CSRF_REJECTED" });
    const body =
      route.body === undefined
        ? { success: true as const, data: undefined }
        : route.body.safeParse(input.body);
    if (!body.success)
      return route.invalidBody === undefined
        ? invalid(body.error.issues)
        : refusal({ type: route.invalidBody });
    const query =
      route.query === undefined
        ? { success: true as const, data: undefined }
        : route.query.safeParse(input.query);
    if (!query.success) return invalid(query.error.issues);
    const sessionToken = cookies.read(request.headers, "session");
    let session: ValidSession | undefined;
    if (route.session !== "none") {
      // "token" routes leave the check to the use case; "checked" ones check first.
      const checked =
        route.session === "checked" || sessionToken === undefined
          ? await checkSession(
              request.headers,
              changes,
              params.panelId === undefined ? undefined : { id: params.panelId },
            )
          : undefined;
      if (checked !== undefined && "answer" in checked) return checked.answer;
      session = checked?.session;
    }
    const context: RouteContext = {
      library,
      options,
      cookies,
      headers: request.headers,
      clientAddress: clientAddress(request, info),
      sessionToken: sessionToken ?? "",
      session,
      params,
      cookieChanges: changes,
    };
    const answer = await route.run(context, { body: body.data, query: query.data });
    // A session the library no longer knows: its cookie goes (not on another 401,
    // e.g. a wrong password when regenerating backup codes: LOGIN_FAILED).
    if (
      route.session !== "none" &&
      (answer.body as ErrorBody | undefined)?.error?.code === "SESSION_INVALID"
    )
      changes.set("session", null);
    return answer;
  }

  const http: PanelAccessHttp = {
    options,
    routes: ROUTES,
    cookies,
    clientAddress,
    getSession,
    guard,
    originAllowed: (request) => originAllowed(request, options),
    formToken: (from) => formToken(headersOf(from), cookies),
    formTokenMatches: (from, submitted) => formTokenMatches(headersOf(from), cookies, submitted),
    openapi: () => {
      openapi ??= buildOpenApiDocument(ROUTES, options);
      return openapi;
    },

    async handle(request, info) {
      const changes: CookieChanges = new Map();
      let answer: Answer;
      try {
        answer =
          request.method === "OPTIONS"
            ? preflight(request)
            : await answerRequest(request, info, changes);
      } catch (error) {
        options.onError(error, request);
        answer = refusal({ type: "INTERNAL_ERROR" });
      }
      const headers = headersFor(answer, cookies, changes);
      const origin = crossOrigin(request);
      if (origin !== undefined) {
        headers.set("Access-Control-Allow-Origin", origin);
        headers.set("Access-Control-Allow-Credentials", "true");
      }
      headers.append("Vary", "Origin");
      return toResponse(answer, headers);
    },

    async run(id, request, input = {}, info = undefined) {
      const changes: CookieChanges = new Map();
      const route = byId.get(id);
      let answer: Answer;
      try {
        answer =
          route === undefined
            ? refusal({ type: "NOT_FOUND" })
            : await perform(
                route,
                request,
                input.params ?? {},
                { body: input.body ?? {}, query: input.query ?? {} },
                info,
                changes,
              );
      } catch (error) {
        options.onError(error, request);
        answer = refusal({ type: "INTERNAL_ERROR" });
      }
      return {
        status: answer.status,
        // The JSON the wire would carry (instants as ISO strings), not the library's records.
        body: answer.body === undefined ? undefined : JSON.parse(JSON.stringify(answer.body)),
        headers: headersFor(answer, cookies, changes),
        cookies: Object.fromEntries(changes),
      };
    },
  };

  /** A trusted origin other than the public URL's, which CORS must name (`trustedOrigins`). */
  function crossOrigin(request: Request): string | undefined {
    const origin = request.headers.get("origin");
    return origin !== null &&
      origin !== options.publicUrl.origin &&
      options.trustedOrigins.has(origin)
      ? origin
      : undefined;
  }

  /**
   * CORS preflight: a page of a trusted origin may send JSON with its
   * cookies; any other origin gets 403 (and its browser then sends nothing).
   */
  function preflight(request: Request): Answer {
    const path = new URL(request.url).pathname;
    if (path !== options.basePath && !path.startsWith(`${options.basePath}/`))
      return refusal({ type: "NOT_FOUND" });
    if (crossOrigin(request) === undefined) return refusal({ type: "CSRF_REJECTED" });
    return {
      status: 204,
      headers: {
        "Access-Control-Allow-Methods": "GET, POST",
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": "600",
      },
    };
  }

  async function answerRequest(
    request: Request,
    info: RequestInfo | undefined,
    changes: CookieChanges,
  ): Promise<Answer> {
    const url = new URL(request.url);
    const base = options.basePath;
    if (url.pathname !== base && !url.pathname.startsWith(`${base}/`))
      return refusal({ type: "NOT_FOUND" });
    const path = url.pathname.slice(base.length) || "/";
    if (path === "/openapi.json" && request.method === "GET")
      return { status: 200, body: http.openapi() };
    const found = match(path, request.method);
    if (!("route" in found) || found.route === undefined) {
      return found.allowed.length > 0
        ? {
            ...refusal({ type: "METHOD_NOT_ALLOWED" }),
            headers: { Allow: found.allowed.join(", ") },
          }
        : refusal({ type: "NOT_FOUND" });
    }
    const { route, params } = found;
    let body: unknown = {};
    if (route.body !== undefined) {
      if (!originAllowed(request, options)) return refusal({ type: "CSRF_REJECTED" });
      const read = await readJsonBody(request, options.bodyLimit);
      if ("refused" in read) return read.refused;
      body = read.value;
    }
    // Own data properties only (a `__proto__` key stays a plain key).
    const query: Record<string, string> = Object.fromEntries(url.searchParams);
    return perform(route, request, params, { body, query }, info, changes);
  }

  return http;
}

function invalid(
  issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
): Answer {
  return refusal({ type: "INVALID_INPUT", issues });
}

/** The cookies a route sets (a value) or clears (`null`). */
type CookieChanges = Map<CookieKind, string | null>;

function headersFor(answer: Answer, cookies: CookieJar, changes: CookieChanges): Headers {
  const headers = new Headers(answer.headers);
  headers.set("Cache-Control", "no-store");
  for (const [kind, value] of changes)
    headers.append("Set-Cookie", value === null ? cookies.clear(kind) : cookies.set(kind, value));
  return headers;
}

function toResponse(answer: Answer, headers: Headers): Response {
  headers.set("X-Content-Type-Options", "nosniff");
  if (answer.body === undefined) return new Response(null, { status: answer.status, headers });
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers });
}
