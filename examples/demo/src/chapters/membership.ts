/**
 * Chapter 2: membership over time and the lockout. Temporary access ends, a
 * re-invite restores it, a re-added person gets no invitation, and six wrong
 * passwords lock Bob out until he resets his password.
 */

import { when } from "../describe.js";
import type { Story } from "../narrator.js";
import type { AcmePanel } from "./invitations.js";

const listStatus = (members: { email: string; status: string }[]) =>
  members.map((member) => `${member.email}: ${member.status}`).join(", ");

export async function tellMembership(story: Story, { panelId, alice }: AcmePanel): Promise<void> {
  const { panelAccess, clock, mailer, start, step } = story;
  clock.set(start.plus({ days: 10 }));
  await step(
    "Day 10: Carol's temporary access ends",
    await panelAccess.listMembers({ actor: alice, panelId }),
    listStatus,
  );
  await step(
    "Alice tries to extend Carol's access after it ended",
    await panelAccess.changeAccess({
      actor: alice,
      panelId,
      email: "carol@acme.test",
      access: { type: "permanent" },
    }),
  );
  await step(
    "Alice re-invites Carol: no new registration, access restored at once",
    await panelAccess.reinviteMember({
      actor: alice,
      panelId,
      email: "carol@acme.test",
      role: "viewer",
      access: { type: "permanent" },
    }),
    (grant) => `notice: ${grant.notice}`,
  );
  await step("Members now", await panelAccess.listMembers({ actor: alice, panelId }), listStatus);

  await step(
    "Alice removes Bob from the panel (his account and password stay)",
    await panelAccess.removeMember({ actor: alice, panelId, email: "bob@acme.test" }),
  );
  await step(
    "Alice adds Bob again",
    await panelAccess.addMember({
      actor: alice,
      panelId,
      email: "bob@acme.test",
      role: "editor",
      access: { type: "permanent" },
    }),
    (grant) => `notice: ${grant.notice} (no invitation: Bob logs in with his existing password)`,
  );
  await step(
    "Alice tries to remove herself, the panel's last administrator",
    await panelAccess.removeMember({ actor: alice, panelId, email: "alice@acme.test" }),
  );

  clock.advance({ hours: 2 });
  await step(
    "Bob logs in with his password: the password step passes and asks for 2FA setup next",
    await panelAccess.login({ email: "bob@acme.test", password: "bob's long passphrase" }),
    (login) =>
      `next: ${login.next}${login.next === "done" ? "" : `, challenge valid until ${when(login.challengeExpiresAt)}`}`,
  );
  for (let attempt = 1; attempt <= 6; attempt++) {
    const result = await panelAccess.login({
      email: "bob@acme.test",
      password: `guess ${attempt}`,
    });
    await step(`Someone tries Bob's account with a wrong password (attempt ${attempt})`, result);
  }
  await step(
    "Bob's right password while locked: the same generic refusal",
    await panelAccess.login({ email: "bob@acme.test", password: "bob's long passphrase" }),
  );
  const resetLink = mailer.last("bob@acme.test", "accountLocked")?.resetLink ?? "";
  await step(
    "Bob resets his password through the link in the 'account locked' e-mail",
    await panelAccess.resetPassword({
      token: new URL(resetLink).searchParams.get("token") ?? "",
      password: "bob's brand new passphrase",
    }),
  );
  await step(
    "Bob logs in with the new password",
    await panelAccess.login({ email: "bob@acme.test", password: "bob's brand new passphrase" }),
    (login) => `next: ${login.next}`,
  );
}
