import type { Actor, PanelAccess } from "@panel-access/core";

/**
 * A piece of your app: the "invite a colleague" handler behind a form. It
 * adds the person with temporary access and tells the administrator what
 * happened in words a person understands.
 */
export async function inviteColleague(
  panelAccess: PanelAccess,
  request: { actor: Actor; panelId: string; email: string; days: number; now: Date },
): Promise<string> {
  const endsAt = new Date(request.now.getTime() + request.days * 86_400_000);
  const result = await panelAccess.addMember({
    actor: request.actor,
    panelId: request.panelId,
    email: request.email,
    role: "analyst",
    access: { type: "temporary", endsAt },
  });
  if (result.isErr()) {
    return result.error.type === "FORBIDDEN"
      ? "Only administrators can invite people."
      : "That did not work.";
  }
  switch (result.value.notice) {
    case "invitation":
      return `Invitation sent; the link works until ${result.value.invitationExpiresAt?.toISODate()}.`;
    case "accessRestored":
      return "Their access is back; they were told by e-mail.";
    case "accessGranted":
      return "Done: they were told by e-mail and log in with their password.";
    case "none":
      return "Done: their access was updated.";
  }
}
