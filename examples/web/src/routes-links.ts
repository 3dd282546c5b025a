import type { InvitationDetails } from "@panel-access/core";
import { type Context, Hono } from "hono";
import { card, html } from "./view.js";
import { kit, type Said, type WebApp } from "./web.js";

/**
 * The pages behind the links in e-mails: accepting an invitation (ACC-6,
 * ACC-9), asking for a reset link (PWD-2) and choosing a new password
 * through it (PWD-3, PWD-4, LCK-4). Opening a link only shows its form;
 * submitting the form uses it. A refused form comes back with the reason
 * while its link still works (PWD-6); otherwise the page says why the link
 * does not.
 */
export function linkRoutes(app: WebApp) {
  const r = new Hono();
  const { field, show, run, fields } = kit(app);

  const passwordField = (label: string) =>
    html`<label>${label} <input name="password" type="password" autocomplete="new-password" minlength="8" required></label>`;

  const registerPage = async (c: Context, token: string, said?: Said) => {
    const found = await run<InvitationDetails>(c, "inspectInvitation", { token });
    if (!found.ok)
      return show(c, { title: "Invitation", status: found.status, body: card(found.notice) });
    return show(c, {
      ...said,
      title: "Accept your invitation",
      body: html`<form method="post" action="/register" class="card">
  ${field(c)}
  <input type="hidden" name="token" value="${token}">
  <p>You were invited to <strong>${found.value.panel?.name ?? "a panel"}</strong> as <strong>${found.value.email}</strong>.</p>
  ${passwordField("Choose a password (at least 8 characters)")}
  <button>Set my password</button>
</form>`,
    });
  };

  r.get("/register", (c) => registerPage(c, c.req.query("token") ?? ""));

  r.post("/register", async (c) => {
    const { token = "", password = "" } = await fields(c);
    const done = await run(c, "register", { token, password });
    if (done.ok) return c.redirect("/login?m=registered", 303);
    return registerPage(c, token, done);
  });

  const forgotPage = (c: Context, said?: Said) =>
    show(c, {
      ...said,
      title: "Forgot your password?",
      body: html`<form method="post" action="/forgot" class="card">
  ${field(c)}
  <label>E-mail <input name="email" type="email" required></label>
  <button>Send me a link</button>
</form>`,
    });

  r.get("/forgot", (c) => forgotPage(c));

  // PWD-2: the same answer whether or not the address has an account; so is a refusal (LCK-9, PWD-2 v2).
  r.post("/forgot", async (c) => {
    const { email = "" } = await fields(c);
    const sent = await run(c, "forgotPassword", { email });
    if (!sent.ok) return forgotPage(c, sent);
    return show(c, {
      title: "Check your e-mail",
      body: card(
        "If this address belongs to an account, we sent it a link to choose a new password. The link works for one hour.",
      ),
    });
  });

  const resetPage = async (c: Context, token: string, said?: Said) => {
    const found = await run<{ email: string }>(c, "inspectPasswordReset", { token });
    if (!found.ok)
      return show(c, {
        title: "Reset your password",
        status: found.status,
        body: card(found.notice),
      });
    return show(c, {
      ...said,
      title: "Choose a new password",
      body: html`<form method="post" action="/reset-password" class="card">
  ${field(c)}
  <input type="hidden" name="token" value="${token}">
  <p>For <strong>${found.value.email}</strong>. This also unlocks a locked account and signs you out everywhere.</p>
  ${passwordField("New password")}
  <button>Save</button>
</form>`,
    });
  };

  r.get("/reset-password", (c) => resetPage(c, c.req.query("token") ?? ""));

  r.post("/reset-password", async (c) => {
    const { token = "", password = "" } = await fields(c);
    const done = await run(c, "resetPassword", { token, password });
    if (done.ok) return c.redirect("/login?m=reset", 303);
    return resetPage(c, token, done);
  });

  return r;
}
