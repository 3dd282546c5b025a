import type { ResolvedOptions } from "@panel-access/core";
import { parseCookie, stringifySetCookie } from "cookie";
import type { CookieKind, ResolvedHttpOptions } from "../options.js";

/** A token-shaped cookie value: anything else counts as absent. */
const TOKEN_SHAPE = /^[A-Za-z0-9_.-]{16,128}$/;

/**
 * The web layer's cookies: `HttpOnly`, `SameSite=Lax`, `Path=/`, and over
 * https `Secure` with the `__Host-` prefix (the browser then refuses the
 * cookie from a subdomain or over plain http). Lifetimes follow the
 * library's options: the session cookie lives as long as the session's
 * absolute limit (the library enforces the idle limit at each check), the
 * challenge as long as TFA-12's challenge, the remembered browser as long as
 * TFA-7's term; the CSRF cookie lives for the browser session.
 */
export class CookieJar {
  private readonly lifetimes: Readonly<Record<CookieKind, number | undefined>>;

  constructor(
    private readonly options: ResolvedHttpOptions,
    library: ResolvedOptions,
  ) {
    this.lifetimes = {
      session: Math.floor(library.sessions.absoluteTimeout.as("seconds")),
      challenge: Math.floor(library.challengeValidity.as("seconds")),
      browser: Math.floor(library.twoFactor.rememberBrowserFor.as("seconds")),
      csrf: undefined,
    };
  }

  /** The name the browser sees (with `__Host-` over https). */
  nameOf(kind: CookieKind): string {
    const name = this.options.cookieNames[kind];
    return this.options.secure ? `__Host-${name}` : name;
  }

  /**
   * A cookie's value, or `undefined` when it is missing or not token-shaped
   * (a forged or mangled cookie counts as absent; the library decides
   * whether a well-shaped one is stale).
   */
  read(headers: Headers, kind: CookieKind): string | undefined {
    const header = headers.get("cookie");
    if (header === null) return undefined;
    const value = parseCookie(header)[this.nameOf(kind)];
    return value !== undefined && TOKEN_SHAPE.test(value) ? value : undefined;
  }

  /** Whether the request sends the cookie at all, well-formed or not. */
  sent(headers: Headers, kind: CookieKind): boolean {
    const header = headers.get("cookie");
    return header !== null && parseCookie(header)[this.nameOf(kind)] !== undefined;
  }

  /** A `Set-Cookie` header value that sets the cookie. */
  set(kind: CookieKind, value: string): string {
    const maxAge = this.lifetimes[kind];
    return stringifySetCookie({
      name: this.nameOf(kind),
      value,
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: this.options.secure,
      ...(maxAge !== undefined && { maxAge }),
    });
  }

  /** A `Set-Cookie` header value that removes the cookie. */
  clear(kind: CookieKind): string {
    return stringifySetCookie({
      name: this.nameOf(kind),
      value: "",
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: this.options.secure,
      maxAge: 0,
      expires: new Date(0),
    });
  }
}
