import type { MemberView } from "@panel-access/core";
import { Hono } from "hono";
import { DateTime } from "luxon";
import type { Result } from "neverthrow";
import { accessText, csrfField, html, page } from "./view.js";
import { csrfToken, panelViewerOf, viewerOf, type WebApp } from "./web-context.js";

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
const REFUSED: Record<string, string> = {
  FORBIDDEN: "Only administrators of this panel can do that.",
  ACCESS_END_NOT_IN_FUTURE: "The end of access must be in the future.",
  ACCESS_ENDED: "This access has ended: re-invite the person instead.",
  ACCESS_STILL_LIVE: "This access has not ended: change it instead.",
  ALREADY_REGISTERED: "This person is registered: they need no invitation.",
  LAST_ADMINISTRATOR: "A panel keeps at least one administrator.",
  INVALID_INPUT: "Please check the form.",
};

/** The access term a form names: permanent, or until a date (end of that day, UTC). */
function accessFrom(form: Record<string, unknown>) {
  if (form.accessType !== "temporary") return { type: "permanent" as const };
  const day = DateTime.fromISO(String(form.until ?? ""), { zone: "utc" });
  return { type: "temporary" as const, endsAt: day.isValid ? day.endOf("day") : "invalid" };
}

export function panelRoutes(app: WebApp) {
  const r = new Hono();
  const { panelAccess } = app;

  r.get("/p/:panelId", async (c) => {
    const found = await panelViewerOf(c, app);
    if ("redirectTo" in found) return c.redirect(found.redirectTo, 303);
    const { viewer, panel, actor } = found;
    const panelId = panel.id;
    const csrf = csrfToken(c, app);
    const members = await panelAccess.listMembers({ actor, panelId });
    const notice = DONE[c.req.query("done") ?? ""] ?? REFUSED[c.req.query("refused") ?? ""];
    if (members.isErr()) {
      return c.html(
        page({
          title: panel.name,
          viewer,
          csrf,
          development: app.development,
          notice,
          body: html`<p class="card">You are a member of this panel.</p>`,
        }),
      );
    }
    const row = (m: MemberView) => html`<tr data-email="${m.email}">
  <td>${m.email}</td><td>${m.role}</td><td>${accessText(m.access)}</td><td><span class="status ${m.status}">${m.status}</span></td>
  <td class="actions">
    ${m.status === "unregistered" ? action(csrf, panelId, "resend", m.email, "Resend invitation") : ""}
    ${m.status === "expired" ? reinviteForm(csrf, panelId, m.email) : ""}
    ${m.status !== "expired" ? extendForm(csrf, panelId, m.email) : ""}
    ${action(csrf, panelId, "reset-2fa", m.email, "Reset 2FA")}
    ${action(csrf, panelId, "remove", m.email, "Remove")}
  </td>
</tr>`;
    return c.html(
      page({
        title: `${panel.name}: User Management`,
        viewer,
        csrf,
        development: app.development,
        notice,
        body: html`<p><a class="button" href="/p/${panelId}/activity">Activity</a></p>
<table class="members"><thead><tr><th>E-mail</th><th>Role</th><th>Access</th><th>Status</th><th></th></tr></thead>
<tbody>${members.value.map(row)}</tbody></table>
<form method="post" action="/p/${panelId}/add" class="card">
  <h2>Add a person</h2>
  ${csrfField(csrf)}
  <label>E-mail <input name="email" type="email" required></label>
  <label>Role <select name="role"><option value="analyst">analyst</option><option value="viewer">viewer</option><option value="administrator">administrator</option></select></label>
  ${accessFields()}
  <button>Add</button>
</form>`,
      }),
    );
  });

  /** The request every administrative form makes: who, where, about whom, and the form itself. */
  type Request = {
    actor: { type: "account"; accountId: string };
    panelId: string;
    email: string;
    form: Record<string, unknown>;
  };
  /**
   * Runs one administrative action and comes back to User Management with its
   * outcome: `done` names what happened (or the grant's notice), else the refusal's code.
   */
  const administer = (
    name: string,
    run: (request: Request) => Promise<Result<unknown, { type: string }>>,
    done: string,
  ) =>
    r.post(`/p/:panelId/${name}`, async (c) => {
      const viewer = await viewerOf(c, app);
      if (viewer === null) return c.redirect("/login", 303);
      const panelId = c.req.param("panelId");
      const form = await c.req.parseBody();
      const actor = { type: "account" as const, accountId: viewer.accountId };
      const result = await run({ actor, panelId, email: String(form.email ?? ""), form });
      const notice = result.isOk() ? (result.value as { notice?: string }).notice : undefined;
      const query = result.isOk() ? `done=${notice ?? done}` : `refused=${result.error.type}`;
      return c.redirect(`/p/${panelId}?${query}`, 303);
    });
  const grantOf = ({ form, ...who }: Request) => ({
    ...who,
    role: String(form.role ?? "analyst"),
    access: accessFrom(form),
  });

  administer("add", async (q) => await panelAccess.addMember(grantOf(q)), "");
  administer("reinvite", async (q) => await panelAccess.reinviteMember(grantOf(q)), "");
  administer(
    "resend",
    async ({ form: _, ...who }) => await panelAccess.resendInvitation(who),
    "resent",
  );
  administer(
    "extend",
    async ({ form, ...who }) =>
      await panelAccess.changeAccess({ ...who, access: accessFrom(form) }),
    "changed",
  );
  administer(
    "remove",
    async ({ form: _, ...who }) => await panelAccess.removeMember(who),
    "removed",
  );
  administer(
    "reset-2fa",
    async ({ form: _, ...who }) => await panelAccess.resetTwoFactor(who),
    "twoFactorReset",
  );

  return r;
}

const accessFields = () => html`<fieldset class="access">
  <label class="check"><input type="radio" name="accessType" value="permanent" checked> Permanent</label>
  <label class="check"><input type="radio" name="accessType" value="temporary"> Until <input type="date" name="until"></label>
</fieldset>`;

function action(csrf: string, panelId: string, name: string, email: string, label: string) {
  return html`<form method="post" action="/p/${panelId}/${name}" class="inline">${csrfField(csrf)}<input type="hidden" name="email" value="${email}"><button class="small" data-action="${name}">${label}</button></form>`;
}

function extendForm(csrf: string, panelId: string, email: string) {
  return html`<form method="post" action="/p/${panelId}/extend" class="inline">${csrfField(csrf)}<input type="hidden" name="email" value="${email}"><input type="hidden" name="accessType" value="temporary"><input type="date" name="until" aria-label="New end of access"><button class="small" data-action="extend">Set end</button></form>`;
}

function reinviteForm(csrf: string, panelId: string, email: string) {
  return html`<form method="post" action="/p/${panelId}/reinvite" class="inline">${csrfField(csrf)}<input type="hidden" name="email" value="${email}"><input type="hidden" name="accessType" value="permanent"><button class="small" data-action="reinvite">Re-invite (permanent)</button></form>`;
}
