/**
 * The one mapping from every error code to an HTTP status: the library's
 * typed errors and the web layer's own. The JSON body of every refusal is
 * `{ "error": { "code", "message", ... } }` (see `ErrorBody`).
 */
export const ERROR_STATUS = {
  // The web layer's own refusals.
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  MALFORMED_JSON: 400,
  CSRF_REJECTED: 403,
  INTERNAL_ERROR: 500,
  // The library's.
  INVALID_INPUT: 400,
  LOGIN_FAILED: 401,
  SESSION_INVALID: 401,
  FORBIDDEN: 403,
  SECOND_FACTOR_SESSION_REQUIRED: 403,
  ACCOUNT_BLOCKED: 403,
  NO_LIVE_ACCESS: 403,
  PANEL_NOT_FOUND: 404,
  ACCOUNT_NOT_FOUND: 404,
  MEMBERSHIP_NOT_FOUND: 404,
  INVITATION_UNKNOWN: 404,
  RESET_LINK_UNKNOWN: 404,
  REMEMBERED_BROWSER_NOT_FOUND: 404,
  MAIL_NOT_FAILED: 409,
  SSO_NOT_ENABLED: 403,
  ACCESS_ENDED: 409,
  ACCESS_STILL_LIVE: 409,
  ALREADY_REGISTERED: 409,
  LAST_ADMINISTRATOR: 409,
  NOT_BLOCKED: 409,
  TWO_FACTOR_RESET_NEEDS_SUPPORT: 409,
  INVITATION_USED: 410,
  INVITATION_SUPERSEDED: 410,
  INVITATION_EXPIRED: 410,
  INVITATION_REVOKED: 410,
  RESET_LINK_USED: 410,
  RESET_LINK_SUPERSEDED: 410,
  RESET_LINK_EXPIRED: 410,
  ACCESS_END_NOT_IN_FUTURE: 422,
  PASSWORD_TOO_COMMON: 422,
  TOO_MANY_ATTEMPTS: 429,
  BUSY: 503,
  THROTTLE_UNAVAILABLE: 503,
  PASSWORD_SCREEN_UNAVAILABLE: 503,
  STORAGE_FAILED: 503,
} as const;

/** Every code a refusal of the JSON API can carry. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** What a person can be told for each code (no detail of the account, the store or the input's value). */
const MESSAGES: Record<ErrorCode, string> = {
  NOT_FOUND: "No such route.",
  METHOD_NOT_ALLOWED: "This route does not take that method.",
  BODY_TOO_LARGE: "The request body is too large.",
  UNSUPPORTED_MEDIA_TYPE: "Send a JSON body (Content-Type: application/json).",
  MALFORMED_JSON: "The request body is not well-formed JSON.",
  CSRF_REJECTED: "The request did not come from a trusted page.",
  INTERNAL_ERROR: "Something went wrong. Try again in a moment.",
  INVALID_INPUT: "Some fields are missing or not valid.",
  LOGIN_FAILED: "That did not work. Check what you typed and try again.",
  SESSION_INVALID: "Sign in to continue.",
  FORBIDDEN: "You may not do this.",
  SECOND_FACTOR_SESSION_REQUIRED: "Sign in with your password and second factor to do this.",
  ACCOUNT_BLOCKED: "This account is blocked. Contact support.",
  NO_LIVE_ACCESS: "This account has no access to any panel right now.",
  PANEL_NOT_FOUND: "No such panel.",
  ACCOUNT_NOT_FOUND: "No such account.",
  MEMBERSHIP_NOT_FOUND: "No such member.",
  INVITATION_UNKNOWN: "This link is not valid.",
  RESET_LINK_UNKNOWN: "This link is not valid.",
  REMEMBERED_BROWSER_NOT_FOUND: "No such remembered browser.",
  MAIL_NOT_FAILED: "This message has not failed.",
  SSO_NOT_ENABLED: "Single sign-on is not enabled for this panel.",
  ACCESS_ENDED: "This access has ended.",
  ACCESS_STILL_LIVE: "This access has not ended.",
  ALREADY_REGISTERED: "This person is already registered.",
  LAST_ADMINISTRATOR: "A panel keeps at least one administrator.",
  NOT_BLOCKED: "This account is not blocked.",
  TWO_FACTOR_RESET_NEEDS_SUPPORT: "This person also uses other panels: ask support to reset it.",
  INVITATION_USED: "This link was already used.",
  INVITATION_SUPERSEDED: "A newer link was sent: use the latest one.",
  INVITATION_EXPIRED: "This link has expired.",
  INVITATION_REVOKED: "This link no longer works.",
  RESET_LINK_USED: "This link was already used.",
  RESET_LINK_SUPERSEDED: "A newer link was sent: use the latest one.",
  RESET_LINK_EXPIRED: "This link has expired.",
  ACCESS_END_NOT_IN_FUTURE: "The end of access must be in the future.",
  PASSWORD_TOO_COMMON: "This password is too common or was found in a breach: choose another.",
  TOO_MANY_ATTEMPTS: "Too many attempts. Wait and try again.",
  BUSY: "Busy. Try again in a moment.",
  THROTTLE_UNAVAILABLE: "Unavailable. Try again in a moment.",
  PASSWORD_SCREEN_UNAVAILABLE: "Unavailable. Try again in a moment.",
  STORAGE_FAILED: "Unavailable. Try again in a moment.",
};

/** PWD-6: why a new password was refused, in words. */
const PASSWORD_PROBLEMS: Record<string, string> = {
  common:
    "This password is too common: attackers try it first. Choose another; a few unrelated words make a good one.",
  breached: "This password has appeared in a data breach. Choose another.",
  contextual: "This password is built from your e-mail address or our name. Choose another.",
  repetitive: "This password repeats the same few characters. Choose another.",
};

/** "1 second", "45 seconds", "5 minutes", "3 hours": rounded up, so nobody is told to come back too early. */
export function waitText(seconds: number): string {
  const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (seconds < 60) return count(Math.max(1, Math.ceil(seconds)), "second");
  const minutes = Math.ceil(seconds / 60);
  return minutes < 60 ? count(minutes, "minute") : count(Math.ceil(minutes / 60), "hour");
}

/**
 * What a person can be told for a refusal: the code's message, with the
 * wait in words for TOO_MANY_ATTEMPTS (LCK-9) and the reason for
 * PASSWORD_TOO_COMMON (PWD-6). It depends on the kind of refusal and the
 * wait only, never on the account.
 */
export function messageOf(code: ErrorCode, retryAfterSeconds?: number, reason?: unknown): string {
  if (code === "TOO_MANY_ATTEMPTS" && retryAfterSeconds !== undefined)
    return `Too many attempts. Try again in ${waitText(retryAfterSeconds)}.`;
  if (code === "PASSWORD_TOO_COMMON" && typeof reason === "string" && PASSWORD_PROBLEMS[reason])
    return PASSWORD_PROBLEMS[reason];
  return MESSAGES[code];
}

/** The JSON body of every refusal. */
export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    /** INVALID_INPUT: where and why (never the value sent). */
    readonly issues?: readonly {
      readonly path: readonly (string | number)[];
      readonly message: string;
    }[];
    /** TOO_MANY_ATTEMPTS: the wait, also in `Retry-After`. */
    readonly retryAfterSeconds?: number;
    /** PASSWORD_TOO_COMMON: why the password was refused. */
    readonly reason?: string;
  };
}

/** An answer before it is written: status, JSON body, extra headers. */
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The library's error, as far as the web layer reads it. */
export interface LibraryError {
  readonly type: string;
  readonly issues?: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
  readonly retryAfter?: { as(unit: "seconds"): number };
  readonly reason?: unknown;
}

const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(ERROR_STATUS, code);

/**
 * The refusal for one error: its status, body and headers. An unknown code
 * (a newer library) answers 500 with `STORAGE_FAILED`'s generic message
 * rather than leaking its name. `Retry-After` goes with TOO_MANY_ATTEMPTS.
 */
export function refusal(error: LibraryError | { readonly type: ErrorCode }): Answer {
  const code: ErrorCode = isErrorCode(error.type) ? error.type : "STORAGE_FAILED";
  const status = isErrorCode(error.type) ? ERROR_STATUS[code] : 500;
  const detail = error as LibraryError;
  const retryAfterSeconds =
    code === "TOO_MANY_ATTEMPTS" && detail.retryAfter !== undefined
      ? Math.max(1, Math.ceil(detail.retryAfter.as("seconds")))
      : undefined;
  const body: ErrorBody = {
    error: {
      code,
      message: messageOf(code, retryAfterSeconds, detail.reason),
      ...(code === "INVALID_INPUT" &&
        detail.issues !== undefined && {
          issues: detail.issues.map((issue) => ({
            path: issue.path.filter((p): p is string | number => typeof p !== "symbol"),
            message: issue.message,
          })),
        }),
      ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
      ...(code === "PASSWORD_TOO_COMMON" &&
        typeof detail.reason === "string" && { reason: detail.reason }),
    },
  };
  return {
    status,
    body,
    ...(retryAfterSeconds !== undefined && {
      headers: { "Retry-After": String(retryAfterSeconds) },
    }),
  };
}
