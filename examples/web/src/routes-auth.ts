import { type Context, Hono } from "hono";
import { clientAddressOf } from "./client-address.js";
import { type Refusal, refusalOf } from "./refusals.js";
import { csrfField, type Html, html, page, raw } from "./view.js";
import {
  browserLabel,
  csrfToken,
  dropCookie,
  putCookie,
  readCookie,
  viewerOf,
  type WebApp,
} from "./web-context.js";

/** Fixed notices a redirect can name (`?m=`): never text taken from the URL. */
const NOTICES: Record<string, string> = {
  registered: "Your password is set. Sign in to set up two-factor authentication.",
  reset: "Your password is changed. Sign in with it.",
  loggedOut: "You are signed out.",
};

/** LCK-8: one answer for every failed sign-in, whatever the reason. */
const SIGN_IN_FAILED =
  "That did not work. Check your e-mail and password. After 6 failed attempts the account is locked and we e-mail you a link to unlock it.";

const INVITATION_PROBLEMS: Record<string, string> = {
  INVITATION_EXPIRED: "This invitation has expired. Ask your administrator to send a new one.",
  INVITATION_SUPERSEDED: "A newer invitation was sent to you: use the link in the latest e-mail.",
  INVITATION_USED: "This invitation was already used. Sign in with your password.",
  INVITATION_REVOKED: "This invitation is no longer valid: your access was removed.",
};
const RESET_PROBLEMS: Record<string, string> = {
  RESET_LINK_EXPIRED: "This link has expired. Ask for a new one.",
  RESET_LINK_SUPERSEDED: "A newer link was sent to you: use the latest e-mail.",
  RESET_LINK_USED: "This link was already used.",
  ACCOUNT_BLOCKED: "This account is blocked. Please contact support.",
};

/** PWD-6: why a new password was refused. The link still works, so the form comes back. */
const PASSWORD_PROBLEMS: Record<string, string> = {
  common:
    "This password is too common: attackers try it first. Choose another; a few unrelated words make a good one.",
  breached: "This password has appeared in a data breach. Choose another.",
  contextual: "This password is built from your e-mail address or our name. Choose another.",
  repetitive: "This password repeats the same few characters. Choose another.",
};
const SCREEN_UNAVAILABLE =
  "We could not check your new password just now. Please try again in a moment.";

/** PWD-6: the reason a refused new password is shown, or `undefined` when the refusal is another one. */
function passwordProblem(error: { type: string; reason?: string }): string | undefined {
  if (error.type === "PASSWORD_SCREEN_UNAVAILABLE") return SCREEN_UNAVAILABLE;
  if (error.type !== "PASSWORD_TOO_COMMON") return undefined;
  return PASSWORD_PROBLEMS[error.reason ?? ""] ?? "Choose another password.";
}

/**
 * LCK-9: a refused request's page, with 429 (and `Retry-After`) or 503. The
 * page is the same for every e-mail: only the kind of refusal and the wait show.
 */
function answerRefused(c: Context, refusal: Refusal, view: Html) {
  if (refusal.retryAfterSeconds !== undefined)
    c.header("Retry-After", String(refusal.retryAfterSeconds));
  return c.html(view, refusal.status);
}

export function authRoutes(app: WebApp) {
  const r = new Hono();
  const { panelAccess } = app;
  /** LCK-9: the client's address for every throttled call (none when it cannot be told). */
  const from = (c: Context) => {
    const clientAddress = clientAddressOf(c, app.trustedProxies);
    return clientAddress === undefined ? {} : { clientAddress };
  };

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

  r.get("/login", (c) => c.html(signInPage(csrfToken(c, app), NOTICES[c.req.query("m") ?? ""])));

  r.post("/login", async (c) => {
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

  r.get("/login/setup", (c) => {
    const view = setupPage(csrfToken(c, app), readCookie(c, app, "challenge") ?? "");
    return view ? c.html(view) : c.redirect("/login", 303);
  });

  r.post("/login/setup", async (c) => {
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

  r.get("/login/code", (c) => {
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

  r.post("/login/code", async (c) => {
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

  r.post("/logout", async (c) => {
    const sessionToken = readCookie(c, app, "session");
    if (sessionToken) await panelAccess.logout({ sessionToken });
    dropCookie(c, app, "session");
    return c.redirect("/login?m=loggedOut", 303);
  });

  /** A link that does not work: why, in words (410 Gone). */
  const deadLink = (title: string, csrf: string, problem: string | undefined) => ({
    status: 410 as const,
    html: page({
      title,
      csrf,
      development: app.development,
      body: html`<p class="card">${problem ?? "This link is not valid."}</p>`,
    }),
  });

  // ACC-9: opening the link only shows the form; submitting it consumes the link.
  const registerPage = async (token: string, csrf: string, notice?: string) => {
    const found = await panelAccess.inspectInvitation({ token });
    if (found.isErr()) {
      return deadLink("Invitation", csrf, INVITATION_PROBLEMS[found.error.type]);
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

  r.get("/register", async (c) => {
    const shown = await registerPage(c.req.query("token") ?? "", csrfToken(c, app));
    return c.html(shown.html, shown.status);
  });

  r.post("/register", async (c) => {
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

  r.get("/forgot", (c) => c.html(forgotPage(csrfToken(c, app))));

  // PWD-2: the same answer whether or not the address has an account; so is a refusal (LCK-9, PWD-2 v2).
  r.post("/forgot", async (c) => {
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
      return deadLink("Reset your password", csrf, RESET_PROBLEMS[found.error.type]);
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

  r.get("/reset-password", async (c) => {
    const shown = await resetPage(c.req.query("token") ?? "", csrfToken(c, app));
    return c.html(shown.html, shown.status);
  });

  r.post("/reset-password", async (c) => {
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

  r.get("/", async (c) => {
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
            : html`<ul class="panels">${viewer.panels.map((p) => html`<li><a href="/p/${p.id}">${p.name}</a></li>`)}</ul>`,
      }),
    );
  });

  return r;
}

/** TFA-2: the backup codes, shown once, with copy and download. */
export function backupCodesPage(app: WebApp, csrf: string, codes: readonly string[]) {
  const text = `Backup codes (each works once):\n${codes.join("\n")}\n`;
  return page({
    title: "Save your backup codes",
    csrf,
    development: app.development,
    body: html`<div class="card">
  <p>Each code signs you in once if you lose your phone. They are shown only now.</p>
  <ol class="codes" id="backup-codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ol>
  <p>
    <button type="button" data-copy-text="${text}">Copy</button>
    <a class="button" download="backup-codes.txt" href="data:text/plain;charset=utf-8,${encodeURIComponent(text)}">Download</a>
    <a class="button primary" href="/">I saved them: continue</a>
  </p>
</div>`,
  });
}
