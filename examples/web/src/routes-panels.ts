import type { MemberView } from "@panel-access/core";
import { Hono } from "hono";
import { DateTime } from "luxon";
import { accessText, card, type Html, html } from "./view.js";
import { kit, noticeFor, type WebApp } from "./web.js";

/** What an administrator's action answered, in words. */
const DONE: Record<string, string> = {
  invitation: "Invitation sent.",
  accessRestored: "Access restored; they were told by e-mail.",
  none: "Added: they sign in with their existing password.",
  resent: "A new invitation was sent; older links no longer work.",
  changed: "Access changed.",
  removed: "Removed from this panel.",
  twoFactorReset: "Two-factor authentication reset; they set it up again at their next sign-in.",
};

/** ACC-5: what a member who is not an administrator is told (the package's FORBIDDEN is for any request). */
export const NOT_ADMINISTRATOR = "Only administrators of this panel can do that.";

/** The access term a form names: permanent, or until a date (end of that day, UTC). */
function accessFrom(form: Partial<Record<string, string>>) {
  if (form.accessType !== "temporary") return { type: "permanent" };
  const day = DateTime.fromISO(form.until ?? "", { zone: "utc" });
  return { type: "temporary", endsAt: day.isValid ? day.endOf("day").toISO() : "" };
}

/** A panel's User Management for its administrators (ACC-*, PNL-*, TFA-8); a member who is not one sees their membership only. */
export function panelRoutes(app: WebApp) {
  const r = new Hono();
  const { field, show, run, fields, panelOf } = kit(app);

  r.get("/p/:panelId", async (c) => {
    const found = await panelOf(c);
    if (found.redirectTo) return c.redirect(found.redirectTo, 303);
    const { viewer, panel } = found;
    const refused = c.req.query("refused");
    const notice =
      DONE[c.req.query("done") ?? ""] ??
      (refused === "FORBIDDEN" ? NOT_ADMINISTRATOR : noticeFor(refused));
    const members = await run<{ members: MemberView[] }>(c, "listMembers");
    if (!members.ok)
      return show(c, {
        title: panel.name,
        viewer,
        notice,
        body: card("You are a member of this panel."),
      });
    /** A one-button form for a member's row; `extra` are its other fields. */
    const action = (name: string, m: MemberView, label: string, extra: Html | string = "") =>
      html`<form method="post" action="/p/${panel.id}/${name}" class="inline">${field(c)}<input type="hidden" name="email" value="${m.email}">${extra}<button class="small" data-action="${name}">${label}</button></form>`;
    const row = (m: MemberView) => html`<tr data-email="${m.email}">
  <td>${m.email}</td><td>${m.role}</td><td>${accessText(m.access)}</td><td><span class="status ${m.status}">${m.status}</span></td>
  <td class="actions">
    ${m.status === "unregistered" ? action("resend", m, "Resend invitation") : ""}
    ${m.status === "expired" ? action("reinvite", m, "Re-invite (permanent)", html`<input type="hidden" name="accessType" value="permanent">`) : ""}
    ${m.status !== "expired" ? action("extend", m, "Set end", html`<input type="hidden" name="accessType" value="temporary"><input type="date" name="until" aria-label="New end of access">`) : ""}
    ${action("reset-2fa", m, "Reset 2FA")}
    ${action("remove", m, "Remove")}
  </td>
</tr>`;
    return show(c, {
      title: `${panel.name}: User Management`,
      viewer,
      notice,
      body: html`<p><a class="button" href="/p/${panel.id}/activity">Activity</a></p>
<table class="members"><thead><tr><th>E-mail</th><th>Role</th><th>Access</th><th>Status</th><th></th></tr></thead>
<tbody>${members.value.members.map(row)}</tbody></table>
<form method="post" action="/p/${panel.id}/add" class="card">
  <h2>Add a person</h2>
  ${field(c)}
  <label>E-mail <input name="email" type="email" required></label>
  <label>Role <select name="role"><option value="analyst">analyst</option><option value="viewer">viewer</option><option value="administrator">administrator</option></select></label>
  <fieldset class="access">
  <label class="check"><input type="radio" name="accessType" value="permanent" checked> Permanent</label>
  <label class="check"><input type="radio" name="accessType" value="temporary"> Until <input type="date" name="until"></label>
</fieldset>
  <button>Add</button>
</form>`,
    });
  });

  /**
   * One administrative action (`/p/:panelId/<name>`, a route of the package):
   * back to User Management with what happened (`done`, or the grant's
   * notice), or the refusal's code; to sign in without a session.
   */
  const administer = (
    name: string,
    id: string,
    done: string,
    body = (form: Partial<Record<string, string>>): object => ({ email: form.email ?? "" }),
  ) =>
    r.post(`/p/:panelId/${name}`, async (c) => {
      const result = await run<{ notice?: string } | undefined>(c, id, body(await fields(c)));
      if (result.status === 401) return c.redirect("/login", 303);
      const query = result.ok ? `done=${result.value?.notice ?? done}` : `refused=${result.code}`;
      return c.redirect(`/p/${c.req.param("panelId")}?${query}`, 303);
    });
  const grant = (form: Partial<Record<string, string>>) => ({
    email: form.email ?? "",
    role: form.role ?? "analyst",
    access: accessFrom(form),
  });
  administer("add", "addMember", "", grant);
  administer("reinvite", "reinviteMember", "", grant);
  administer("resend", "resendInvitation", "resent");
  administer("extend", "changeAccess", "changed", (form) => ({
    email: form.email ?? "",
    access: accessFrom(form),
  }));
  administer("remove", "removeMember", "removed");
  administer("reset-2fa", "resetTwoFactor", "twoFactorReset");

  return r;
}
