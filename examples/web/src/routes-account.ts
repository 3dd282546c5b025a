import { timingSafeEqual } from "node:crypto";
import type { RememberedBrowserView } from "@panel-access/core";
import { type Context, Hono } from "hono";
import { backupCodesPage } from "./routes-sign-in.js";
import { html, when } from "./view.js";
import { kit, noticeFor, type Said, type WebApp } from "./web.js";

/** Personal settings (TFA-6, TFA-13, SES-2, a link to the security activity of AUD-2) and the support team's page (LCK-5). */
export function accountRoutes(app: WebApp) {
  const r = new Hono();
  const { field, show, run, fields, viewerOf } = kit(app);

  r.get("/settings", async (c) => {
    const viewer = await viewerOf(c);
    if (viewer === undefined) return c.redirect("/login", 303);
    const codes = await run<{ unused: number }>(c, "countBackupCodes");
    const browsers = await run<{ browsers: RememberedBrowserView[] }>(c, "listRememberedBrowsers");
    const remembered = browsers.ok ? browsers.value.browsers : [];
    const forgetForm = (b?: RememberedBrowserView) =>
      html`<form method="post" action="/settings/forget-browser"${b ? html` class="inline"` : ""}>${field(c)}${b ? html`<input type="hidden" name="browserId" value="${b.id}"><button class="small">Forget</button>` : html`<button>Forget all</button>`}</form>`;
    return show(c, {
      title: "Settings",
      viewer,
      notice: c.req.query("m") === "forgotten" ? "Done." : noticeFor(c.req.query("refused")),
      body: html`<section class="card">
  <h2>Backup codes</h2>
  <p>${codes.ok ? `${codes.value.unused} unused backup codes left.` : ""}</p>
  <form method="post" action="/settings/backup-codes">
    ${field(c)}
    <label>Your password, to make a new set (the old one stops working) <input name="password" type="password" autocomplete="current-password" required></label>
    <button>New backup codes</button>
  </form>
</section>
<section class="card">
  <h2>Remembered browsers</h2>
  ${
    remembered.length > 0
      ? html`<ul class="browsers">${remembered.map(
          (
            b,
          ) => html`<li>${b.label ?? "A browser"}, remembered ${when(b.createdAt)}, until ${when(b.expiresAt)}
  ${forgetForm(b)}</li>`,
        )}</ul>
  ${forgetForm()}`
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
  <form method="post" action="/settings/logout-everywhere">${field(c)}<button>Sign out everywhere</button></form>
</section>`,
    });
  });

  r.post("/settings/backup-codes", async (c) => {
    const { password = "" } = await fields(c);
    const made = await run<{ backupCodes: string[] }>(c, "regenerateBackupCodes", { password });
    if (!made.ok) return c.redirect(`/settings?refused=${made.code}`, 303);
    return backupCodesPage(app, c, made.value.backupCodes);
  });

  r.post("/settings/forget-browser", async (c) => {
    const { browserId } = await fields(c);
    await run(c, "forgetRememberedBrowsers", browserId === undefined ? {} : { browserId });
    return c.redirect("/settings?m=forgotten", 303);
  });

  r.post("/settings/logout-everywhere", async (c) => {
    await run(c, "logoutEverywhere");
    return c.redirect("/login?m=loggedOut", 303);
  });

  const supportPage = (c: Context, said?: Said) =>
    show(c, {
      ...said,
      title: "Support: lift a permanent block",
      body: html`<form method="post" action="/support" class="card">
  ${field(c)}
  <p>For the support team (LCK-5). The support key is set when the app starts (and printed then, in development mode only).</p>
  <label>Support key <input name="key" type="password" autocomplete="off" required></label>
  <label>E-mail of the blocked account <input name="email" type="email" required></label>
  <button>Unblock</button>
</form>`,
    });

  r.get("/support", (c) => supportPage(c));

  // An operator's action: not part of the JSON API, so the library is called directly.
  r.post("/support", async (c) => {
    const form = await fields(c);
    const key = Buffer.from(form.key ?? "");
    const expected = Buffer.from(app.supportKey);
    if (key.length !== expected.length || !timingSafeEqual(key, expected))
      return supportPage(c, { notice: "That support key is not right.", status: 403 });
    const result = await app.panelAccess.unblockAccount({
      actor: { type: "operator", operatorId: "support page" },
      email: form.email ?? "",
    });
    return supportPage(c, {
      notice: result.isOk()
        ? "Unblocked: the person can sign in again (or reset the password)."
        : noticeFor(result.error.type),
    });
  });

  return r;
}
