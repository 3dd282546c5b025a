/**
 * Chapter 1: a panel and its invitations. Links expire after 7 days (or with
 * temporary access), opening a link is read-only, and only the latest link works.
 */

import type { Actor } from "@panel-access/core";
import { when } from "../describe.js";
import type { Story } from "../narrator.js";

/** The panel the story runs on, and its administrator. */
export interface AcmePanel {
  readonly panelId: string;
  readonly alice: Actor;
}

export async function tellInvitations(story: Story): Promise<AcmePanel> {
  const { panelAccess, clock, start, step, tokenIn } = story;
  const created = await step(
    "The support team creates the panel “Acme Analytics” with alice@acme.test as administrator",
    await panelAccess.createPanel({
      actor: { type: "operator", operatorId: "support" },
      name: "Acme Analytics",
      administratorEmail: "alice@acme.test",
    }),
    (createdPanel) =>
      `panel ${createdPanel.panel.id} created; alice: ${createdPanel.administrator.notice}`,
  );
  if (created === undefined) process.exit(1);
  const panelId = created.panel.id;
  await step(
    "Alice registers through her link (argon2id, OWASP parameters)",
    await panelAccess.register({
      token: tokenIn("alice@acme.test"),
      password: "alice's long passphrase",
    }),
  );
  const alice: Actor = { type: "account", accountId: created.administrator.accountId };

  await step(
    "Alice invites bob@acme.test with permanent access",
    await panelAccess.addMember({
      actor: alice,
      panelId,
      email: "bob@acme.test",
      role: "analyst",
      access: { type: "permanent" },
    }),
    (grant) =>
      `notice: ${grant.notice}; link expires ${grant.invitationExpiresAt && when(grant.invitationExpiresAt)} (7 days)`,
  );
  const bobsFirstLink = tokenIn("bob@acme.test");
  await step(
    "Alice invites carol@acme.test with 3 days of temporary access",
    await panelAccess.addMember({
      actor: alice,
      panelId,
      email: "carol@acme.test",
      role: "viewer",
      access: { type: "temporary", endsAt: clock.now().plus({ days: 3 }) },
    }),
    (grant) =>
      `notice: ${grant.notice}; link expires ${grant.invitationExpiresAt && when(grant.invitationExpiresAt)}: on day 3, with her access`,
  );

  clock.advance({ days: 1 });
  await step(
    "Carol opens her link (read-only: a mail scanner could do the same)",
    await panelAccess.inspectInvitation({ token: tokenIn("carol@acme.test") }),
    (invitation) =>
      `link works for ${invitation.email} on ${invitation.panel?.name}, until ${when(invitation.invitationExpiresAt)}`,
  );
  await step(
    "Carol submits the registration form",
    await panelAccess.register({
      token: tokenIn("carol@acme.test"),
      password: "carol's long passphrase",
    }),
  );
  await step(
    "Alice extends Carol's temporary access to day 10 (it has not ended yet)",
    await panelAccess.changeAccess({
      actor: alice,
      panelId,
      email: "carol@acme.test",
      access: { type: "temporary", endsAt: start.plus({ days: 10 }) },
    }),
    (member) =>
      `access now ends ${member.access.type === "temporary" ? when(member.access.endsAt) : "never"}`,
  );

  clock.set(start.plus({ days: 8 }));
  await step(
    "Bob finally tries his link, 8 days later",
    await panelAccess.register({ token: bobsFirstLink, password: "bob's long passphrase" }),
  );
  await step(
    "Alice resends Bob's invitation",
    await panelAccess.resendInvitation({ actor: alice, panelId, email: "bob@acme.test" }),
    (invitation) => `new link expires ${when(invitation.invitationExpiresAt)}`,
  );
  await step(
    "Bob clicks the older e-mail again",
    await panelAccess.register({ token: bobsFirstLink, password: "bob's long passphrase" }),
  );
  await step(
    "Bob uses the latest e-mail",
    await panelAccess.register({
      token: tokenIn("bob@acme.test"),
      password: "bob's long passphrase",
    }),
  );
  return { panelId, alice };
}
