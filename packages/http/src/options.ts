import { PanelAccessConfigError } from "@panel-access/core";
import proxyAddr from "proxy-addr";
import { z } from "zod";

/** How the web layer is set up; see `createPanelAccessHttp`. */
export interface HttpOptions {
  /**
   * The address the public reaches the app at, e.g. `https://app.example.com`.
   * Over https every cookie gets `Secure` and the `__Host-` prefix; its origin
   * is trusted for state-changing requests. Required.
   */
  readonly publicUrl: string;
  /**
   * Where the JSON API is mounted: every route is `basePath` + its path.
   * @default "/api/auth"
   */
  readonly basePath?: string;
  /**
   * Origins (scheme, host and port, e.g. `https://admin.example.com`) besides
   * `publicUrl`'s whose pages may send state-changing requests.
   * @default []
   */
  readonly trustedOrigins?: readonly string[];
  /**
   * LCK-9: the proxies of your own in front of the app, as IP addresses or
   * CIDR ranges (`10.0.0.0/8`, `::1`), or the names `loopback`,
   * `linklocal`, `uniquelocal`. Only a request whose socket address is one of
   * them has its `X-Forwarded-For` read, right to left, to the first address
   * that is not a trusted proxy. Empty: the header is never read.
   * @default []
   */
  readonly trustedProxies?: readonly string[];
  /**
   * The largest request body accepted, in bytes; larger ones get 413 before
   * anything is parsed.
   * @default 16384
   */
  readonly bodyLimit?: number;
  /**
   * Cookie names before the `__Host-` prefix (added over https).
   * @default { session: "pa_session", challenge: "pa_challenge", browser: "pa_browser", csrf: "pa_csrf" }
   */
  readonly cookieNames?: Partial<Record<CookieKind, string>>;
  /**
   * Called with what a route threw (a bug: the library answers errors, it
   * does not throw); the request gets `500 INTERNAL_ERROR` either way. The
   * error may hold the request's data: log it where secrets may go.
   * @default writes the error to `console.error`
   */
  readonly onError?: (error: unknown, request: Request) => void;
}

/** The cookies the web layer keeps. */
export type CookieKind = "session" | "challenge" | "browser" | "csrf";

/** The options with defaults filled in and checked. */
export interface ResolvedHttpOptions {
  readonly publicUrl: URL;
  readonly secure: boolean;
  readonly basePath: string;
  readonly trustedOrigins: ReadonlySet<string>;
  /** Whether an address is one of `trustedProxies` (`proxy-addr`'s compiled test). */
  readonly trustProxy: (address: string, hop: number) => boolean;
  readonly bodyLimit: number;
  readonly cookieNames: Readonly<Record<CookieKind, string>>;
  /** Called with what a route threw. */
  readonly onError: (error: unknown, request: Request) => void;
}

const cookieName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ and - only");

const optionsSchema = z.object({
  publicUrl: z.url({ protocol: /^https?$/ }),
  basePath: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)*$/, "a path like /api/auth, without a trailing slash")
    .default("/api/auth"),
  trustedOrigins: z.array(z.url({ protocol: /^https?$/ })).default([]),
  trustedProxies: z.array(z.string().min(1)).default([]),
  bodyLimit: z
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024)
    .default(16 * 1024),
  cookieNames: z
    .object({
      session: cookieName.default("pa_session"),
      challenge: cookieName.default("pa_challenge"),
      browser: cookieName.default("pa_browser"),
      csrf: cookieName.default("pa_csrf"),
    })
    .default({
      session: "pa_session",
      challenge: "pa_challenge",
      browser: "pa_browser",
      csrf: "pa_csrf",
    }),
});

/**
 * Checks the options and fills in the defaults.
 *
 * @throws PanelAccessConfigError naming the first bad option (at start-up).
 */
export function resolveHttpOptions(options: HttpOptions): ResolvedHttpOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PanelAccessConfigError(
      `@panel-access/http: ${issue?.path.join(".") || "options"}: ${issue?.message ?? "invalid"}`,
    );
  }
  if (options.onError !== undefined && typeof options.onError !== "function") {
    throw new PanelAccessConfigError("@panel-access/http: onError: expected a function");
  }
  const value = parsed.data;
  const publicUrl = new URL(value.publicUrl);
  // A page served over plain http can be rewritten by anyone on the path:
  // it must not act with the cookies of an https app.
  const insecure = value.trustedOrigins.find((o) => new URL(o).protocol !== "https:");
  if (publicUrl.protocol === "https:" && insecure !== undefined) {
    throw new PanelAccessConfigError(
      `@panel-access/http: trustedOrigins: ${insecure} is not https, and publicUrl is`,
    );
  }
  let trustProxy: ResolvedHttpOptions["trustProxy"];
  try {
    trustProxy = proxyAddr.compile([...value.trustedProxies]);
  } catch (error) {
    throw new PanelAccessConfigError(
      `@panel-access/http: trustedProxies: ${error instanceof Error ? error.message : "invalid"}`,
    );
  }
  return {
    publicUrl,
    secure: publicUrl.protocol === "https:",
    basePath: value.basePath,
    trustedOrigins: new Set([
      publicUrl.origin,
      ...value.trustedOrigins.map((o) => new URL(o).origin),
    ]),
    trustProxy,
    bodyLimit: value.bodyLimit,
    cookieNames: value.cookieNames,
    onError:
      options.onError ??
      ((error, request) =>
        console.error(
          `@panel-access/http: ${request.method} ${new URL(request.url).pathname} threw`,
          error,
        )),
  };
}
