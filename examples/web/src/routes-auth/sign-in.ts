import { type Context, Hono } from "hono";
import { refusalOf } from "../refusals.js";
import { csrfField, html, page } from "../view.js";
import {
  csrfToken,
  dropCookie,
  putCookie,
  readCookie,
  viewerOf,
  type WebApp,
} from "../web-context.js";
import { answerRefused, clientAddressInput, SIGN_IN_FAILED } from "./route-kit.js";

/** Fixed notices a redirect can name (`?m=`): never text taken from the URL. */
const NOTICES: Record<string, string> = {
  registered: "Your password is set. Sign in to set up two-factor authentication.",
  reset: "Your password is changed. Sign in with it.",
  loggedOut: "You are signed out.",
};

/** The password step (LCK-8, LCK-9), logging out (SES-2), and the page a signed-in person lands on. */
export function signInRoutes(app: WebApp) {
  const routes = new Hono();
  const { panelAccess } = app;
  const from = (c: Context) => clientAddressInput(app, c);

  const signInPage = (csrf: string, notice?: string) =>
    page({
      title: "Sign in",
      csrf,
      development: app.development,
      notice,
      body: html`<form method="post" action="/login" class="card">
  ${csrfField(csrf)}
  <label>E-mail <input name="email" type="email" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button>Continue</button>
  <p><a href="/forgot">Forgot your password?</a></p>
</form>`,
    });

  routes.get("/login", (c) =>
    c.html(signInPage(csrfToken(c, app), NOTICES[c.req.query("m") ?? ""])),
  );

  routes.post("/login", async (c) => {
    const form = await c.req.parseBody();
    const browser = readCookie(c, app, "browser");
    const result = await panelAccess.login({
      email: String(form.email ?? ""),
      password: String(form.password ?? ""),
      ...(browser && { rememberedBrowserToken: browser }),
      ...from(c),
    });
    if (result.isErr()) {
      const refused = refusalOf(result.error);
      if (refused) return answerRefused(c, refused, signInPage(csrfToken(c, app), refused.message));
      return c.html(signInPage(csrfToken(c, app), SIGN_IN_FAILED), 401);
    }
    const step = result.value;
    if (step.next === "done") {
      putCookie(c, app, "session", step.session.sessionToken);
      return c.redirect("/", 303);
    }
    putCookie(c, app, "challenge", step.challenge);
    if (step.next === "secondFactor") return c.redirect("/login/code", 303);
    // Kept as long as the challenge lives (TFA-12); expired screens are dropped on the way.
    const now = Date.now();
    for (const [challenge, setup] of app.pendingSetups) {
      if (setup.until <= now) app.pendingSetups.delete(challenge);
    }
    app.pendingSetups.set(step.challenge, {
      uri: step.setup.uri,
      secret: step.setup.secret,
      qrSvg: step.setup.qrSvg,
      until: now + 10 * 60_000,
    });
    return c.redirect("/login/setup", 303);
  });

  routes.post("/logout", async (c) => {
    const sessionToken = readCookie(c, app, "session");
    if (sessionToken) await panelAccess.logout({ sessionToken });
    dropCookie(c, app, "session");
    return c.redirect("/login?m=loggedOut", 303);
  });

  routes.get("/", async (c) => {
    const viewer = await viewerOf(c, app);
    if (viewer === null) return c.redirect("/login", 303);
    const [only] = viewer.panels;
    if (viewer.panels.length === 1 && only) return c.redirect(`/p/${only.id}`, 303);
    return c.html(
      page({
        title: "Your panels",
        viewer,
        csrf: csrfToken(c, app),
        development: app.development,
        body:
          viewer.panels.length === 0
            ? html`<p class="card">You have no panel to enter right now.</p>`
            : html`<ul class="panels">${viewer.panels.map((panel) => html`<li><a href="/p/${panel.id}">${panel.name}</a></li>`)}</ul>`,
      }),
    );
  });

  return routes;
}
