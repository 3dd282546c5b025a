import { type Context, Hono } from "hono";
import { refusalOf } from "../refusals.js";
import { csrfField, html, page } from "../view.js";
import { csrfToken, dropCookie, type WebApp } from "../web-context.js";
import { passwordProblem } from "./password-problems.js";
import { answerRefused, clientAddressInput, deadLink } from "./route-kit.js";

const RESET_PROBLEMS: Record<string, string> = {
  RESET_LINK_EXPIRED: "This link has expired. Ask for a new one.",
  RESET_LINK_SUPERSEDED: "A newer link was sent to you: use the latest e-mail.",
  RESET_LINK_USED: "This link was already used.",
  ACCOUNT_BLOCKED: "This account is blocked. Please contact support.",
};

/** Forgotten passwords: asking for a link (PWD-2), and choosing a new password through it (PWD-3, PWD-4). */
export function passwordResetRoutes(app: WebApp) {
  const routes = new Hono();
  const { panelAccess } = app;
  const from = (c: Context) => clientAddressInput(app, c);

  const forgotPage = (csrf: string, notice?: string) =>
    page({
      title: "Forgot your password?",
      csrf,
      development: app.development,
      notice,
      body: html`<form method="post" action="/forgot" class="card">
  ${csrfField(csrf)}
  <label>E-mail <input name="email" type="email" required></label>
  <button>Send me a link</button>
</form>`,
    });

  routes.get("/forgot", (c) => c.html(forgotPage(csrfToken(c, app))));

  // PWD-2: the same answer whether or not the address has an account; so is a refusal (LCK-9, PWD-2 v2).
  routes.post("/forgot", async (c) => {
    const form = await c.req.parseBody();
    const result = await panelAccess.forgotPassword({
      email: String(form.email ?? ""),
      ...from(c),
    });
    const refused = result.isErr() ? refusalOf(result.error) : undefined;
    if (refused) return answerRefused(c, refused, forgotPage(csrfToken(c, app), refused.message));
    return c.html(
      page({
        title: "Check your e-mail",
        csrf: csrfToken(c, app),
        development: app.development,
        body: html`<p class="card">If this address belongs to an account, we sent it a link to choose a new password. The link works for one hour.</p>`,
      }),
    );
  });

  const resetPage = async (token: string, csrf: string, notice?: string) => {
    const found = await panelAccess.inspectPasswordReset({ token });
    if (found.isErr()) {
      return deadLink(app, "Reset your password", csrf, RESET_PROBLEMS[found.error.type]);
    }
    return {
      status: notice === undefined ? (200 as const) : (400 as const),
      html: page({
        title: "Choose a new password",
        csrf,
        development: app.development,
        notice,
        body: html`<form method="post" action="/reset-password" class="card">
  ${csrfField(csrf)}
  <input type="hidden" name="token" value="${token}">
  <p>For <strong>${found.value.email}</strong>. This also unlocks a locked account and signs you out everywhere.</p>
  <label>New password <input name="password" type="password" autocomplete="new-password" minlength="8" required></label>
  <button>Save</button>
</form>`,
      }),
    };
  };

  routes.get("/reset-password", async (c) => {
    const shown = await resetPage(c.req.query("token") ?? "", csrfToken(c, app));
    return c.html(shown.html, shown.status);
  });

  routes.post("/reset-password", async (c) => {
    const form = await c.req.parseBody();
    const result = await panelAccess.resetPassword({
      token: String(form.token ?? ""),
      password: String(form.password ?? ""),
    });
    if (result.isOk()) {
      dropCookie(c, app, "session");
      return c.redirect("/login?m=reset", 303);
    }
    // PWD-6: the link still works; the form comes back with the reason.
    const refused = passwordProblem(result.error);
    if (refused !== undefined) {
      const shown = await resetPage(String(form.token ?? ""), csrfToken(c, app), refused);
      return c.html(shown.html, 400);
    }
    const problem =
      result.error.type === "INVALID_INPUT"
        ? "Choose a password of 8 to 256 characters."
        : (RESET_PROBLEMS[result.error.type] ?? "This link is not valid.");
    return c.html(
      page({
        title: "Reset your password",
        csrf: csrfToken(c, app),
        development: app.development,
        body: html`<p class="card">${problem}</p>`,
      }),
      400,
    );
  });

  return routes;
}
