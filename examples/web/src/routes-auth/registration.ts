import { type Context, Hono } from "hono";
import { refusalOf } from "../refusals.js";
import { csrfField, html, page } from "../view.js";
import { csrfToken, type WebApp } from "../web-context.js";
import { passwordProblem } from "./password-problems.js";
import { answerRefused, clientAddressInput, deadLink } from "./route-kit.js";

const INVITATION_PROBLEMS: Record<string, string> = {
  INVITATION_EXPIRED: "This invitation has expired. Ask your administrator to send a new one.",
  INVITATION_SUPERSEDED: "A newer invitation was sent to you: use the link in the latest e-mail.",
  INVITATION_USED: "This invitation was already used. Sign in with your password.",
  INVITATION_REVOKED: "This invitation is no longer valid: your access was removed.",
};

/** Accepting an invitation: choosing a password through the link (ACC-6, ACC-9). */
export function registrationRoutes(app: WebApp) {
  const routes = new Hono();
  const { panelAccess } = app;
  const from = (c: Context) => clientAddressInput(app, c);

  // ACC-9: opening the link only shows the form; submitting it consumes the link.
  const registerPage = async (token: string, csrf: string, notice?: string) => {
    const found = await panelAccess.inspectInvitation({ token });
    if (found.isErr()) {
      return deadLink(app, "Invitation", csrf, INVITATION_PROBLEMS[found.error.type]);
    }
    return {
      status: notice === undefined ? (200 as const) : (400 as const),
      html: page({
        title: "Accept your invitation",
        csrf,
        development: app.development,
        notice,
        body: html`<form method="post" action="/register" class="card">
  ${csrfField(csrf)}
  <input type="hidden" name="token" value="${token}">
  <p>You were invited to <strong>${found.value.panel?.name ?? "a panel"}</strong> as <strong>${found.value.email}</strong>.</p>
  <label>Choose a password (at least 8 characters) <input name="password" type="password" autocomplete="new-password" minlength="8" required></label>
  <button>Set my password</button>
</form>`,
      }),
    };
  };

  routes.get("/register", async (c) => {
    const shown = await registerPage(c.req.query("token") ?? "", csrfToken(c, app));
    return c.html(shown.html, shown.status);
  });

  routes.post("/register", async (c) => {
    const form = await c.req.parseBody();
    const result = await panelAccess.register({
      token: String(form.token ?? ""),
      password: String(form.password ?? ""),
      ...from(c),
    });
    if (result.isOk()) return c.redirect("/login?m=registered", 303);
    // LCK-9: throttled before the link was looked at; the link (if it works) is still unused.
    const throttled = refusalOf(result.error);
    if (throttled) {
      return answerRefused(
        c,
        throttled,
        page({
          title: "Invitation",
          csrf: csrfToken(c, app),
          development: app.development,
          body: html`<p class="card">${throttled.message}</p>`,
        }),
      );
    }
    // PWD-6: the link still works; the form comes back with the reason.
    const refused = passwordProblem(result.error);
    if (refused !== undefined) {
      const shown = await registerPage(String(form.token ?? ""), csrfToken(c, app), refused);
      return c.html(shown.html, 400);
    }
    const problem =
      result.error.type === "INVALID_INPUT"
        ? "Choose a password of 8 to 256 characters."
        : (INVITATION_PROBLEMS[result.error.type] ?? "This link is not valid.");
    return c.html(
      page({
        title: "Invitation",
        csrf: csrfToken(c, app),
        development: app.development,
        body: html`<p class="card">${problem}</p>`,
      }),
      400,
    );
  });

  return routes;
}
