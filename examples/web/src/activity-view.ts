import type {
  ActivityEvent,
  ActivityPage,
  DomainEventType,
  EventActor,
  LoginFailureReason,
  SessionRevocationReason,
} from "@panel-access/core";
import { accessText, type Html, html, when } from "./view.js";

/**
 * AUD-2: every event type in words, and on which activity page its kind is
 * offered as a filter: a panel's (what its administrators did), a person's
 * (their security events), both, or neither (never listed to them). Written
 * as a map over every type, so the compiler asks about each new one.
 */
const KINDS: {
  readonly [K in DomainEventType]: {
    readonly label: string;
    readonly on: "panel" | "security" | "both" | "neither";
  };
} = {
  "panel.created": { label: "Panel created", on: "panel" },
  "account.created": { label: "Account created", on: "neither" },
  "invitation.sent": { label: "Invitation sent", on: "panel" },
  "membership.granted": { label: "Member added", on: "panel" },
  "membership.changed": { label: "Access changed", on: "panel" },
  "membership.removed": { label: "Member removed", on: "panel" },
  "access.restored": { label: "Access restored", on: "panel" },
  "account.registered": { label: "Registered (password set)", on: "security" },
  "login.failed": { label: "Sign-in failed", on: "security" },
  "login.passwordAccepted": { label: "Password accepted", on: "security" },
  "login.completed": { label: "Signed in", on: "security" },
  "account.locked": { label: "Account locked", on: "security" },
  "account.permanentlyBlocked": { label: "Account blocked", on: "security" },
  "account.unblocked": { label: "Unblocked by support", on: "security" },
  "passwordReset.sent": { label: "Password reset link sent", on: "security" },
  "passwordReset.limited": { label: "Password reset asked too often", on: "security" },
  "password.reset": { label: "Password reset", on: "security" },
  "sessions.revoked": { label: "Sessions ended", on: "security" },
  "twoFactor.enrolled": { label: "2FA set up", on: "security" },
  "twoFactor.reset": { label: "2FA reset", on: "both" },
  "backupCodes.issued": { label: "New backup codes", on: "security" },
  "backupCode.used": { label: "Backup code used", on: "security" },
  "rememberedBrowser.created": { label: "Browser remembered", on: "security" },
  "rememberedBrowsers.forgotten": { label: "Remembered browsers forgotten", on: "security" },
  "mail.requeued": { label: "Mail re-queued by support", on: "neither" },
  "mail.failed": { label: "Mail failed", on: "neither" },
  "backgroundWork.failed": { label: "Background work failed", on: "neither" },
};

const kindsOn = (page: "panel" | "security") =>
  (Object.keys(KINDS) as DomainEventType[]).filter(
    (type) => KINDS[type].on === page || KINDS[type].on === "both",
  );
/** The kinds a panel's Activity page filters by. */
export const PANEL_KINDS = kindsOn("panel");
/** The kinds a person's Security activity page filters by. */
export const SECURITY_KINDS = kindsOn("security");

const FAILURE: Record<LoginFailureReason, string> = {
  unknownAccount: "no account has this e-mail",
  unregistered: "not registered yet",
  expired: "no live access",
  locked: "the account was locked",
  permanentlyBlocked: "the account was blocked",
  wrongPassword: "wrong password",
  wrongSecondFactor: "wrong code: the password was right",
};
const REVOKED: Record<SessionRevocationReason, string> = {
  logout: "signed out",
  logoutEverywhere: "signed out everywhere",
  passwordReset: "password reset",
  permanentBlock: "account blocked",
  twoFactorReset: "2FA reset",
};
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** What an event adds to its kind, in words (ids of sessions, links and browsers are left out). */
function details(event: ActivityEvent): string {
  switch (event.type) {
    case "invitation.sent":
    case "passwordReset.sent":
      return `link valid until ${when(event.expiresAt)}`;
    case "membership.granted":
      return `${event.role}, ${accessText(event.access)}`;
    case "membership.changed":
      return `${event.previousRole}, ${accessText(event.previousAccess)} → ${event.role}, ${accessText(event.access)}`;
    case "login.failed":
      return FAILURE[event.reason];
    case "login.completed":
      return event.method === "sso" ? "through single sign-on" : "with password and 2FA";
    case "account.locked":
      return `${plural(event.consecutiveLocks, "lock")} in a row`;
    case "sessions.revoked":
      return `${plural(event.sessionIds.length, "session")}: ${REVOKED[event.reason]}`;
    case "backupCodes.issued":
      return plural(event.count, "code");
    case "backupCode.used":
      return `${event.remaining} left`;
    case "rememberedBrowsers.forgotten":
      return plural(event.browserIds.length, "browser");
    default:
      return "";
  }
}

/** Who did it, in words; `nameOf` names an account (an e-mail, "you"…). */
export function actorText(actor: EventActor, nameOf: (accountId: string) => string): string {
  switch (actor.type) {
    case "account":
      return nameOf(actor.accountId);
    case "operator":
      return `the support team (${actor.operatorId})`;
    case "system":
      return "the system";
    case "anonymous":
      return "someone not signed in";
  }
}

/** What a listing page was asked for: a kind and the cursor of the page before. */
export interface ListingQuery {
  readonly type: DomainEventType | undefined;
  readonly cursor: string | undefined;
}

/**
 * The query of a listing page (`?type=…&cursor=…`); `null` when it names a
 * kind the page does not offer. The cursor is checked by the library.
 */
export function listingQuery(
  query: (name: string) => string | undefined,
  kinds: readonly DomainEventType[],
): ListingQuery | null {
  const type = query("type") || undefined;
  const known = kinds.find((kind) => kind === type);
  if (type !== undefined && known === undefined) return null;
  return { type: known, cursor: query("cursor") || undefined };
}

/** The query of the package's listing routes (`listPanelActivity`, `listSecurityActivity`) for a page. */
export const filtersOf = (query: ListingQuery, limit: number) => ({
  limit: String(limit),
  ...(query.type !== undefined && { types: query.type }),
  ...(query.cursor !== undefined && { cursor: query.cursor }),
});

const linkTo = (path: string, params: Record<string, string | undefined>) => {
  const search = new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();
  return search === "" ? path : `${path}?${search}`;
};

/**
 * AUD-2: one page of a listing, newest first: the kind filter (a GET form),
 * the events, and "Older" (the next page's cursor, and the kind) or "Newest".
 * `about` names whom an event is about (a column of its own when given).
 */
export function activityListing(parts: {
  readonly path: string;
  readonly kinds: readonly DomainEventType[];
  readonly query: ListingQuery;
  readonly page: ActivityPage;
  readonly who: (event: ActivityEvent) => string;
  readonly about?: (event: ActivityEvent) => string;
}): Html {
  const { path, query, page, about } = parts;
  const row = (event: ActivityEvent) => html`<tr data-type="${event.type}" data-id="${event.id}">
  <td>${when(event.at)}</td><td>${KINDS[event.type].label} <code>${event.type}</code></td><td>${parts.who(event)}</td>${about ? html`<td>${about(event)}</td>` : ""}<td>${details(event)}</td>
</tr>`;
  const option = (kind: DomainEventType) =>
    html`<option value="${kind}"${kind === query.type ? html` selected` : ""}>${KINDS[kind].label}</option>`;
  return html`<form method="get" action="${path}" class="card filter">
  <label>Kind <select name="type"><option value="">All kinds</option>${parts.kinds.map(option)}</select></label>
  <button>Show</button>
</form>
${
  page.events.length === 0
    ? html`<p class="card">Nothing to show.</p>`
    : html`<table class="activity"><thead><tr><th>When</th><th>What</th><th>Who</th>${about ? html`<th>About</th>` : ""}<th>Details</th></tr></thead>
<tbody>${page.events.map(row)}</tbody></table>`
}
<p class="pager">
  ${query.cursor !== undefined ? html`<a class="button" href="${linkTo(path, { type: query.type })}">Newest</a>` : ""}
  ${page.nextCursor !== null ? html`<a class="button" rel="next" href="${linkTo(path, { type: query.type, cursor: page.nextCursor })}">Older</a>` : ""}
</p>`;
}
