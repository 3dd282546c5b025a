import type { Context } from "hono";
import { clientAddressOf } from "../client-address.js";
import type { Refusal } from "../refusals.js";
import { type Html, html, page } from "../view.js";
import type { WebApp } from "../web-context.js";

/** LCK-8: one answer for every failed sign-in, whatever the reason. */
export const SIGN_IN_FAILED =
  "That did not work. Check your e-mail and password. After 6 failed attempts the account is locked and we e-mail you a link to unlock it.";

/**
 * LCK-9: a refused request's page, with 429 (and `Retry-After`) or 503. The
 * page is the same for every e-mail: only the kind of refusal and the wait show.
 */
export function answerRefused(c: Context, refusal: Refusal, view: Html) {
  if (refusal.retryAfterSeconds !== undefined)
    c.header("Retry-After", String(refusal.retryAfterSeconds));
  return c.html(view, refusal.status);
}

/** LCK-9: the client's address for every throttled call (none when it cannot be told). */
export function clientAddressInput(app: WebApp, c: Context) {
  const clientAddress = clientAddressOf(c, app.trustedProxies);
  return clientAddress === undefined ? {} : { clientAddress };
}

/** A link that does not work: why, in words (410 Gone). */
export const deadLink = (
  app: WebApp,
  title: string,
  csrf: string,
  problem: string | undefined,
) => ({
  status: 410 as const,
  html: page({
    title,
    csrf,
    development: app.development,
    body: html`<p class="card">${problem ?? "This link is not valid."}</p>`,
  }),
});
