import { type Context, Hono } from "hono";
import { refusalOf } from "../refusals.js";
import { csrfField, html, page, raw } from "../view.js";
import {
  browserLabel,
  csrfToken,
  dropCookie,
  putCookie,
  readCookie,
  type WebApp,
} from "../web-context.js";
import { backupCodesPage } from "./backup-codes-page.js";
import { answerRefused, clientAddressInput, SIGN_IN_FAILED } from "./route-kit.js";

/** The second step of signing in: setting up two-factor authentication (TFA-1, TFA-2), or a code (TFA-3, TFA-5, TFA-7). */
export function secondFactorRoutes(app: WebApp) {
  const routes = new Hono();
  const { panelAccess } = app;
  const from = (c: Context) => clientAddressInput(app, c);

  const rememberBox = html`<label class="check"><input type="checkbox" name="remember" value="1"> Remember this browser for 1 week</label>`;

  const setupPage = (csrf: string, challenge: string, notice?: string) => {
    const setup = app.pendingSetups.get(challenge);
    if (setup === undefined) return null;
    return page({
      title: "Set up two-factor authentication",
      csrf,
      development: app.development,
      notice,
      body: html`<div class="card">
  <p>Two-factor authentication is required. Scan this code with an authenticator app (Google Authenticator, Authy, 1Password…):</p>
  <div class="qr">${raw(setup.qrSvg)}</div>
  <p>Or type this key into the app: <code id="totp-secret">${setup.secret}</code></p>
  <form method="post" action="/login/setup">
    ${csrfField(csrf)}
    <label>The 6-digit code the app shows <input name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
    ${rememberBox}
    <button>Confirm</button>
  </form>
</div>`,
    });
  };

  routes.get("/login/setup", (c) => {
    const view = setupPage(csrfToken(c, app), readCookie(c, app, "challenge") ?? "");
    return view ? c.html(view) : c.redirect("/login", 303);
  });

  routes.post("/login/setup", async (c) => {
    const form = await c.req.parseBody();
    const challenge = readCookie(c, app, "challenge") ?? "";
    const result = await panelAccess.completeTwoFactorSetup({
      challenge,
      code: String(form.code ?? ""),
      rememberBrowser: form.remember === "1",
      browserLabel: browserLabel(c.req.header("user-agent")),
      ...from(c),
    });
    const csrf = csrfToken(c, app);
    if (result.isErr()) {
      const refused = refusalOf(result.error);
      if (refused) {
        const view = setupPage(csrf, challenge, refused.message);
        return view ? answerRefused(c, refused, view) : c.redirect("/login", 303);
      }
      const view = setupPage(
        csrf,
        challenge,
        "That code did not work. Type the code the app shows now.",
      );
      return view ? c.html(view, 401) : c.redirect("/login", 303);
    }
    app.pendingSetups.delete(challenge);
    dropCookie(c, app, "challenge");
    putCookie(c, app, "session", result.value.session.sessionToken);
    if (result.value.rememberedBrowser)
      putCookie(c, app, "browser", result.value.rememberedBrowser.rememberedBrowserToken);
    return c.html(backupCodesPage(app, csrf, result.value.backupCodes));
  });

  routes.get("/login/code", (c) => {
    if (readCookie(c, app, "challenge") === undefined) return c.redirect("/login", 303);
    return c.html(codePage(csrfToken(c, app)));
  });

  const codePage = (csrf: string, notice?: string) =>
    page({
      title: "Two-factor authentication",
      csrf,
      development: app.development,
      notice,
      body: html`<form method="post" action="/login/code" class="card">
  ${csrfField(csrf)}
  <label>Code from your authenticator app, or a backup code <input name="code" autocomplete="one-time-code" required></label>
  ${rememberBox}
  <button>Sign in</button>
</form>`,
    });

  routes.post("/login/code", async (c) => {
    const form = await c.req.parseBody();
    const result = await panelAccess.verifySecondFactor({
      challenge: readCookie(c, app, "challenge") ?? "",
      code: String(form.code ?? ""),
      rememberBrowser: form.remember === "1",
      browserLabel: browserLabel(c.req.header("user-agent")),
      ...from(c),
    });
    if (result.isErr()) {
      const refused = refusalOf(result.error);
      if (refused) return answerRefused(c, refused, codePage(csrfToken(c, app), refused.message));
      return c.html(codePage(csrfToken(c, app), SIGN_IN_FAILED), 401);
    }
    dropCookie(c, app, "challenge");
    putCookie(c, app, "session", result.value.session.sessionToken);
    if (result.value.rememberedBrowser)
      putCookie(c, app, "browser", result.value.rememberedBrowser.rememberedBrowserToken);
    return c.redirect("/", 303);
  });

  return routes;
}
