import type { PanelAccess, ValidSession } from "@panel-access/core";
import type { Result } from "neverthrow";
import type { z } from "zod";
import type { CookieKind, ResolvedHttpOptions } from "../options.js";
import type { CookieJar } from "../web/cookies.js";
import { type Answer, type LibraryError, refusal } from "../web/errors.js";

/** What a route's `run` is given. */
export interface RouteContext {
  readonly library: PanelAccess;
  readonly options: ResolvedHttpOptions;
  readonly cookies: CookieJar;
  readonly headers: Headers;
  /** LCK-9: the client's address, when it can be told. */
  readonly clientAddress: string | undefined;
  /** The session cookie's token (`session: "token"` and `"checked"` routes). */
  readonly sessionToken: string;
  /** The checked session (`session: "checked"` routes only). */
  readonly session: ValidSession | undefined;
  /** Path parameters (`{panelId}`), as sent. */
  readonly params: Readonly<Record<string, string>>;
  /** The cookies to set (a value) or clear (`null`) with the answer, whatever it is. */
  readonly cookieChanges: Map<CookieKind, string | null>;
}

/** How a route needs the session cookie. */
export type SessionNeed =
  /** No session: the route works signed out. */
  | "none"
  /** The session cookie's token, checked by the use case the route calls. */
  | "token"
  /** A session checked first (`validateSession`): the route acts as its account. */
  | "checked";

/** One route of the JSON API: what it takes, what it answers, and how. */
export interface Route<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  /** The OpenAPI `operationId`, also `run`'s name for the route. */
  readonly id: string;
  readonly method: "GET" | "POST" | "DELETE";
  /** Below the base path; `{name}` is a path parameter. */
  readonly path: string;
  readonly summary: string;
  /** The rule IDs the route serves. */
  readonly rules: readonly string[];
  readonly session: SessionNeed;
  /**
   * A POST that changes nothing (it is POST only to keep a token out of the
   * URL): `run` may call it while serving a GET page and skips the CSRF
   * check for it; through `handle` its `Origin` is checked like any POST.
   */
  readonly readOnly?: true;
  /**
   * What a body that does not fit `body` answers instead of `INVALID_INPUT`
   * (the sign-in routes: LCK-8's one answer for every failure).
   */
  readonly invalidBody?: "LOGIN_FAILED";
  /** The JSON body's schema (POST), checked before the library is called. */
  readonly body?: B;
  /** The query's schema (GET). */
  readonly query?: Q;
  /** Path parameters' names, for the OpenAPI document. */
  readonly params?: readonly string[];
  /** The success answers: status → schema of the body (none: no body). */
  readonly answers: Readonly<
    Record<number, { readonly description: string; readonly schema?: z.ZodType }>
  >;
  /** Which cookies a success sets or clears, in words (the OpenAPI document's `Set-Cookie`). */
  readonly setsCookies?: string;
  /** The error codes the route can answer besides the web layer's own. */
  readonly errors: readonly string[];
  /** Calls the library once the checks passed; answers the status, body and headers. */
  readonly run: (
    context: RouteContext,
    input: { body: z.output<B>; query: z.output<Q> },
  ) => Promise<Answer>;
}

/** Declares a route (types its `run` from its schemas). */
export const route = <B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(
  definition: Route<B, Q>,
): Route<B, Q> => definition;

/** A use case's result as an answer: `ok` through `present`, `err` as its refusal. */
export function answerOf<T>(
  result: Result<T, LibraryError>,
  present: (value: T) => Answer,
): Answer {
  return result.isOk() ? present(result.value) : refusal(result.error);
}

/** A success without a body. */
export const noContent = (): Answer => ({ status: 204 });

/** The session as a route acts with it: the account, as the library's actor. */
export const actorOf = (context: RouteContext) => ({
  type: "account" as const,
  accountId: (context.session as ValidSession).accountId,
});

/**
 * The client's address as the library's input (absent when unknown) — LCK-9.
 */
export const fromClient = (context: RouteContext) =>
  context.clientAddress === undefined ? {} : { clientAddress: context.clientAddress };
