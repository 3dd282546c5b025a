import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { backupCodesPage } from "./routes-auth/backup-codes-page.js";
import { csrfField, html, page, when } from "./view.js";
import { csrfToken, dropCookie, readCookie, viewerOf, type WebApp } from "./web-context.js";

/** Personal settings (TFA-6, TFA-13, SES-2, a link to the security activity of AUD-2) and the support team's page (LCK-5). */
export function accountRoutes(app: WebApp) {
  const r = new Hono();
  const { panelAccess } = app;

  r.get("/settings", async (c) => {
    const viewer = await viewerOf(c, app);
    const sessionToken = readCookie(c, app, "session") ?? "";
    if (viewer === null) return c.redirect("/login", 303);
    const csrf = csrfToken(c, app);
    const codes = await panelAccess.countBackupCodes({ sessionToken });
    const browsers = await panelAccess.listRememberedBrowsers({ sessionToken });
    const notice = { regenerateFailed: "That password is not right.", forgotten: "Done." }[
      c.req.query("m") ?? ""
    ];
    return c.html(
      page({
        title: "Settings",
        viewer,
        csrf,
        development: app.development,
        notice,
        body: html`<section class="card">
  <h2>Backup codes</h2>
  <p>${codes.isOk() ? `${codes.value.unused} unused backup codes left.` : ""}</p>
  <form method="post" action="/settings/backup-codes">
    ${csrfField(csrf)}
    <label>Your password, to make a new set (the old one stops working) <input name="password" type="password" autocomplete="current-password" required></label>
    <button>New backup codes</button>
  </form>
</section>
<section class="card">
  <h2>Remembered browsers</h2>
  ${
    browsers.isOk() && browsers.value.length > 0
      ? html`<ul class="browsers">${browsers.value.map(
          (
            b,
          ) => html`<li>${b.label ?? "A browser"}, remembered ${when(b.createdAt)}, until ${when(b.expiresAt)}
  <form method="post" action="/settings/forget-browser" class="inline">${csrfField(csrf)}<input type="hidden" name="browserId" value="${b.id}"><button class="small">Forget</button></form></li>`,
        )}</ul>
  <form method="post" action="/settings/forget-browser">${csrfField(csrf)}<button>Forget all</button></form>`
      : html`<p>No browser is remembered.</p>`
  }
</section>
<section class="card">
  <h2>Security activity</h2>
  <p>Sign-ins, failed attempts, locks, password resets, 2FA and remembered browsers on your account.</p>
  <p><a class="button" href="/settings/activity">Security activity</a></p>
</section>
<section class="card">
  <h2>Sessions</h2>
  <form method="post" action="/settings/logout-everywhere">${csrfField(csrf)}<button>Sign out everywhere</button></form>
</section>`,
      }),
    );
  });

  r.post("/settings/backup-codes", async (c) => {
    const form = await c.req.parseBody();
    const sessionToken = readCookie(c, app, "session") ?? "";
    const result = await panelAccess.regenerateBackupCodes({
      sessionToken,
      password: String(form.password ?? ""),
    });
    if (result.isErr()) return c.redirect("/settings?m=regenerateFailed", 303);
    return c.html(backupCodesPage(app, csrfToken(c, app), result.value.backupCodes));
  });

  r.post("/settings/forget-browser", async (c) => {
    const form = await c.req.parseBody();
    const sessionToken = readCookie(c, app, "session") ?? "";
    const browserId = typeof form.browserId === "string" ? form.browserId : undefined;
    await panelAccess.forgetRememberedBrowsers({ sessionToken, ...(browserId && { browserId }) });
    return c.redirect("/settings?m=forgotten", 303);
  });

  r.post("/settings/logout-everywhere", async (c) => {
    await panelAccess.logoutEverywhere({ sessionToken: readCookie(c, app, "session") ?? "" });
    dropCookie(c, app, "session");
    return c.redirect("/login?m=loggedOut", 303);
  });

  const supportPage = (csrf: string, notice?: string) =>
    page({
      title: "Support: lift a permanent block",
      csrf,
      development: app.development,
      notice,
      body: html`<form method="post" action="/support" class="card">
  ${csrfField(csrf)}
  <p>For the support team (LCK-5). The support key is set when the app starts (and printed then, in development mode only).</p>
  <label>Support key <input name="key" type="password" autocomplete="off" required></label>
  <label>E-mail of the blocked account <input name="email" type="email" required></label>
  <button>Unblock</button>
</form>`,
    });

  r.get("/support", (c) => c.html(supportPage(csrfToken(c, app))));

  r.post("/support", async (c) => {
    const form = await c.req.parseBody();
    const key = Buffer.from(String(form.key ?? ""));
    const expected = Buffer.from(app.supportKey);
    if (key.length !== expected.length || !timingSafeEqual(key, expected)) {
      return c.html(supportPage(csrfToken(c, app), "That support key is not right."), 403);
    }
    const result = await panelAccess.unblockAccount({
      actor: { type: "operator", operatorId: "support page" },
      email: String(form.email ?? ""),
    });
    const notice = result.isOk()
      ? "Unblocked: the person can sign in again (or reset the password)."
      : result.error.type === "NOT_BLOCKED"
        ? "This account is not blocked."
        : "No such account.";
    return c.html(supportPage(csrfToken(c, app), notice));
  });

  return r;
}
