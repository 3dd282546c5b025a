import { type Context, Hono } from "hono";
import { card, html, raw } from "./view.js";
import { kit, type Said, type WebApp } from "./web.js";

/** Fixed notices a redirect can name (`?m=`): never text taken from the URL. */
const NOTICES: Record<string, string> = {
  registered: "Your password is set. Sign in to set up two-factor authentication.",
  reset: "Your password is changed. Sign in with it.",
  loggedOut: "You are signed out.",
};

/** What the password step answers (`login`). */
type Step =
  | { readonly next: "done" | "secondFactor" }
  | {
      readonly next: "secondFactorSetup";
      readonly challengeExpiresAt: string;
      readonly setup: { readonly secret: string; readonly qrSvg: string };
    };

/**
 * Signing in: the password step (LCK-8, LCK-9), setting up two-factor
 * authentication (TFA-1, TFA-2) or a code (TFA-3, TFA-5, TFA-7); logging out
 * (SES-2); and the page a signed-in person lands on.
 */
export function signInRoutes(app: WebApp) {
  const r = new Hono();
  const { field, show, run, fields, cookie, viewerOf } = kit(app);

  const signInPage = (c: Context, said?: Said) =>
    show(c, {
      ...said,
      title: "Sign in",
      body: html`<form method="post" action="/login" class="card">
  ${field(c)}
  <label>E-mail <input name="email" type="email" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button>Continue</button>
  <p><a href="/forgot">Forgot your password?</a></p>
</form>`,
    });

  r.get("/login", (c) => signInPage(c, { notice: NOTICES[c.req.query("m") ?? ""] }));

  r.post("/login", async (c) => {
    const { email = "", password = "" } = await fields(c);
    const step = await run<Step>(c, "login", { email, password });
    if (!step.ok) return signInPage(c, step);
    if (step.value.next !== "secondFactorSetup")
      return c.redirect(step.value.next === "done" ? "/" : "/login/code", 303);
    // Kept as long as the challenge lives (TFA-12); expired screens are dropped on the way.
    const now = app.clock.now().toMillis();
    for (const [challenge, setup] of app.pendingSetups)
      if (setup.until <= now) app.pendingSetups.delete(challenge);
    const { secret, qrSvg } = step.value.setup;
    const until = Date.parse(step.value.challengeExpiresAt);
    app.pendingSetups.set(step.cookies.challenge ?? "", { secret, qrSvg, until });
    return c.redirect("/login/setup", 303);
  });

  const rememberBox = html`<label class="check"><input type="checkbox" name="remember" value="1"> Remember this browser for 1 week</label>`;

  const setupPage = (c: Context, said?: Said) => {
    const setup = app.pendingSetups.get(cookie(c, "challenge") ?? "");
    if (setup === undefined) return c.redirect("/login", 303);
    return show(c, {
      ...said,
      title: "Set up two-factor authentication",
      body: html`<div class="card">
  <p>Two-factor authentication is required. Scan this code with an authenticator app (Google Authenticator, Authy, 1Password…):</p>
  <div class="qr">${raw(setup.qrSvg)}</div>
  <p>Or type this key into the app: <code id="totp-secret">${setup.secret}</code></p>
  <form method="post" action="/login/setup">
    ${field(c)}
    <label>The 6-digit code the app shows <input name="code" inputmode="numeric" autocomplete="one-time-code" required></label>
    ${rememberBox}
    <button>Confirm</button>
  </form>
</div>`,
    });
  };

  r.get("/login/setup", (c) => setupPage(c));

  r.post("/login/setup", async (c) => {
    const { code = "", remember } = await fields(c);
    const challenge = cookie(c, "challenge") ?? "";
    const done = await run<{ backupCodes: string[] }>(c, "completeTwoFactorSetup", {
      code,
      rememberBrowser: remember === "1",
    });
    if (!done.ok) return setupPage(c, done);
    app.pendingSetups.delete(challenge);
    return backupCodesPage(app, c, done.value.backupCodes);
  });

  const codePage = (c: Context, said?: Said) =>
    show(c, {
      ...said,
      title: "Two-factor authentication",
      body: html`<form method="post" action="/login/code" class="card">
  ${field(c)}
  <label>Code from your authenticator app, or a backup code <input name="code" autocomplete="one-time-code" required></label>
  ${rememberBox}
  <button>Sign in</button>
</form>`,
    });

  r.get("/login/code", (c) =>
    cookie(c, "challenge") === undefined ? c.redirect("/login", 303) : codePage(c),
  );

  r.post("/login/code", async (c) => {
    const { code = "", remember } = await fields(c);
    const done = await run(c, "verifySecondFactor", { code, rememberBrowser: remember === "1" });
    return done.ok ? c.redirect("/", 303) : codePage(c, done);
  });

  r.post("/logout", async (c) => {
    await run(c, "logout");
    return c.redirect("/login?m=loggedOut", 303);
  });

  r.get("/", async (c) => {
    const viewer = await viewerOf(c);
    if (viewer === undefined) return c.redirect("/login", 303);
    const [only, ...others] = viewer.panels;
    if (only !== undefined && others.length === 0) return c.redirect(`/p/${only.panel.id}`, 303);
    return show(c, {
      title: "Your panels",
      viewer,
      body:
        only === undefined
          ? card("You have no panel to enter right now.")
          : html`<ul class="panels">${viewer.panels.map(({ panel }) => html`<li><a href="/p/${panel.id}">${panel.name}</a></li>`)}</ul>`,
    });
  });

  return r;
}

/** TFA-2, TFA-6: the backup codes, shown once, with copy and download. */
export function backupCodesPage(app: WebApp, c: Context, codes: readonly string[]) {
  const text = `Backup codes (each works once):\n${codes.join("\n")}\n`;
  return kit(app).show(c, {
    title: "Save your backup codes",
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
