import { createInMemoryPanelAccess, type InMemoryOptions } from "@panel-access/adapter-memory";
import type { Actor, MailIntent } from "@panel-access/core";
import { expect } from "vitest";

export const ADMIN_EMAIL = "admin@example.com";
export const ADMIN_PASSWORD = "correct horse battery staple";
export const PASSWORD = "a long enough password";

/** The token inside an e-mailed link. */
export function tokenOf(message: MailIntent | undefined): string {
  expect(message?.kind).toBe("invitation");
  const link = message?.kind === "invitation" ? message.link : "";
  const token = new URL(link).searchParams.get("token");
  expect(token).toBeTruthy();
  return token ?? "";
}

/**
 * An in-memory setup with one panel ("Acme") whose administrator has
 * registered; `admin` is the actor for administrative calls.
 */
export async function worldWithPanel(options: InMemoryOptions = {}) {
  const setup = createInMemoryPanelAccess(options);
  const { panelAccess, mailer } = setup;
  const created = (
    await panelAccess.createPanel({
      actor: { type: "system" },
      name: "Acme",
      administratorEmail: ADMIN_EMAIL,
    })
  )._unsafeUnwrap();
  const token = tokenOf(mailer.last(ADMIN_EMAIL, "invitation"));
  (await panelAccess.register({ token, password: ADMIN_PASSWORD }))._unsafeUnwrap();
  const admin: Actor = { type: "account", accountId: created.administrator.accountId };
  const panelId = created.panel.id;

  /** Adds a person and returns the token of their invitation, if one was sent. */
  async function invite(
    email: string,
    access: { type: "permanent" } | { type: "temporary"; endsAt: string } = { type: "permanent" },
    role = "analyst",
  ) {
    const grant = (
      await panelAccess.addMember({ actor: admin, panelId, email, role, access })
    )._unsafeUnwrap();
    return {
      grant,
      token: grant.notice === "invitation" ? tokenOf(mailer.last(email, "invitation")) : null,
    };
  }

  /** Adds and registers a person. */
  async function member(email: string, role = "analyst") {
    const { grant, token } = await invite(email, { type: "permanent" }, role);
    (await panelAccess.register({ token: token ?? "", password: PASSWORD }))._unsafeUnwrap();
    return { type: "account", accountId: grant.accountId } as const satisfies Actor;
  }

  async function otherPanel(name = "Globex") {
    const panel = (
      await panelAccess.createPanel({
        actor: { type: "system" },
        name,
        administratorEmail: ADMIN_EMAIL,
      })
    )._unsafeUnwrap();
    return panel.panel.id;
  }

  return { ...setup, admin, panelId, invite, member, otherPanel };
}

export type World = Awaited<ReturnType<typeof worldWithPanel>>;
