import { randomBytes, timingSafeEqual } from "node:crypto";
import type { ResolvedHttpOptions } from "../options.js";
import type { CookieJar } from "./cookies.js";

/** Methods that change nothing: no CSRF check. */
export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF, first line: a state-changing request is refused when its `Origin`
 * is not a trusted origin, or, without `Origin`, when `Sec-Fetch-Site` says
 * it came from another site. `Origin: null` passes only with
 * `Sec-Fetch-Site: same-origin`. A request with neither header is not from a
 * current browser's page (every one sends `Origin` on POST, PUT, PATCH and
 * DELETE) and passes this check; the session cookie's `SameSite=Lax` and the
 * JSON content type (a cross-site form cannot send it) stand behind it, and
 * form posts also need the token (`formTokenMatches`).
 */
export function originAllowed(
  request: Request,
  options: ResolvedHttpOptions,
  method: string = request.method,
): boolean {
  if (SAFE_METHODS.has(method)) return true;
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  // A page served with `Referrer-Policy: no-referrer` posts its own forms
  // with `Origin: null` (Chromium), as do sandboxed frames of any site:
  // then only `Sec-Fetch-Site: same-origin` lets it through.
  if (origin === "null") return site === "same-origin";
  if (origin !== null) return options.trustedOrigins.has(origin);
  return site === null || site === "same-origin" || site === "none";
}

/**
 * CSRF for classic form posts (double submit): the token in the CSRF cookie,
 * made when missing. Put it in a hidden `_csrf` field of every form; when
 * `setCookie` is present, send it with the page.
 */
export function formToken(
  headers: Headers,
  cookies: CookieJar,
): { readonly token: string; readonly setCookie?: string } {
  const existing = cookies.read(headers, "csrf");
  if (existing !== undefined) return { token: existing };
  const token = randomBytes(32).toString("base64url");
  return { token, setCookie: cookies.set("csrf", token) };
}

/** Whether a form's `_csrf` field matches the CSRF cookie (constant time). */
export function formTokenMatches(
  headers: Headers,
  cookies: CookieJar,
  submitted: unknown,
): boolean {
  const expected = cookies.read(headers, "csrf");
  if (typeof submitted !== "string" || expected === undefined) return false;
  const a = Buffer.from(submitted);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
