import type { AccessTerm, ValidSession } from "@panel-access/core";
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { DateTime } from "luxon";

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** What a page is made of. */
export interface PageParts {
  readonly title: string;
  /** Who is signed in, for the header (the panel switcher, PNL-7). */
  readonly viewer?: ValidSession | undefined;
  readonly csrf: string;
  /** Development mode: the header links to the mail viewer. */
  readonly development: boolean;
  readonly body: Html;
  readonly notice?: string | undefined;
}

/** The page frame: no inline script or style (CSP), one stylesheet, one small script. */
export function page(parts: PageParts): Html {
  const viewer = parts.viewer;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title} · Panel Access example</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<header>
  <a class="brand" href="/">Panel Access <small>example</small></a>
  <nav>
    ${
      viewer
        ? html`${viewer.panels.map(({ panel }) => html`<a href="/p/${panel.id}">${panel.name}</a>`)}
    <a href="/settings">Settings</a>
    <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${parts.csrf}"><button class="link">Log out</button></form>
    <span class="who">${viewer.email}</span>`
        : html`<a href="/login">Sign in</a>`
    }
    ${parts.development ? html`<a href="/mail" class="dev">Mail viewer</a>` : ""}
  </nav>
</header>
<main>
<h1>${parts.title}</h1>
${parts.notice ? html`<p class="notice" role="status">${parts.notice}</p>` : ""}
${parts.body}
</main>
</body>
</html>`;
}

/**
 * An instant as pages show it: "3 Mar 2026 14:05 UTC". What `http.run`
 * answers is JSON (ISO strings); the type names the library's records.
 */
export const when = (d: DateTime | string) =>
  `${(typeof d === "string" ? DateTime.fromISO(d) : d).toUTC().toFormat("d LLL yyyy HH:mm")} UTC`;

/** An access term in words: "permanent", or "until 3 Mar 2026 23:59 UTC". */
export const accessText = (access: AccessTerm) =>
  access.type === "permanent" ? "permanent" : `until ${when(access.endsAt)}`;

/** A page's only paragraph. */
export const card = (text: string) => html`<p class="card">${text}</p>`;

export { html, raw };
