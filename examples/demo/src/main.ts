/**
 * The panel-access story on the in-memory adapter: invitations that expire,
 * "only the latest link works", temporary access that is extended and ends,
 * an expired account restored by a re-invite, and a re-added person who gets
 * no invitation. Every message printed is a real mail intent from the core.
 */
import { createInMemoryPanelAccess } from "@panel-access/adapter-memory";
import { type Actor, type DomainEvent, type MailIntent, OWASP_ARGON2ID } from "@panel-access/core";
import type { DateTime } from "luxon";
import type { Result } from "neverthrow";

const { panelAccess, clock, mailer, events } = createInMemoryPanelAccess({
  appUrl: "https://panel.example.com",
  argon2: OWASP_ARGON2ID,
});
const start = clock.now();
let mailShown = 0;
let eventsShown = 0;

const when = (t: DateTime) => t.toUTC().toFormat("ccc d LLL yyyy HH:mm 'UTC'");
const day = () => `day ${Math.floor(clock.now().diff(start, "days").days)}`;
const shortLink = (link: string) => link.replace(/token=([^&]{8})[^&]*/, "token=$1…");

function describeMail(m: MailIntent): string {
  switch (m.kind) {
    case "invitation":
      return `invitation to ${m.panel.name} as ${m.role}, link ${shortLink(m.link)}, expires ${when(m.expiresAt)}`;
    case "accessRestored":
      return `access to ${m.panel.name} restored (${m.access.type}), log in at ${m.loginLink}`;
    case "passwordReset":
      return `reset your password: ${shortLink(m.link)}, expires ${when(m.expiresAt)}`;
    case "accountLocked":
      return `account locked; reset your password to reopen it: ${shortLink(m.resetLink)}, expires ${when(m.expiresAt)}`;
    case "accountBlocked":
      return "account permanently blocked: contact support";
    case "twoFactorReset":
      return `your two-factor setup for ${m.panel.name} was reset; set it up again at your next login (${m.loginLink})`;
  }
}

function describeEvent(e: DomainEvent): string {
  const { type, at, ...rest } = e;
  const fields = Object.entries(rest)
    .filter(([key]) => key !== "actor")
    .map(
      ([key, value]) =>
        `${key}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`,
    );
  return `${type} ${fields.join(" ")}`;
}

/** Prints what happened since the last step: the outcome, new mail, new audit events. */
async function step<T, E>(
  title: string,
  result: Result<T, E>,
  outcome: (value: T) => string = () => "ok",
): Promise<T | undefined> {
  await panelAccess.settled(); // login and forgot-password deliver in the background
  console.log(`\n[${day()}] ${title}`);
  console.log(
    result.isOk() ? `  → ${outcome(result.value)}` : `  → refused: ${JSON.stringify(result.error)}`,
  );
  for (const m of mailer.sent.slice(mailShown)) console.log(`  ✉ to ${m.to}: ${describeMail(m)}`);
  for (const e of events.events.slice(eventsShown)) console.log(`  · audit: ${describeEvent(e)}`);
  mailShown = mailer.sent.length;
  eventsShown = events.events.length;
  return result.isOk() ? result.value : undefined;
}

const tokenIn = (email: string) => {
  const m = mailer.last(email, "invitation");
  return m ? (new URL(m.link).searchParams.get("token") ?? "") : "";
};

console.log(`panel-access demo (in-memory adapter, clock starts ${when(start)})`);

const created = await step(
  "The support team creates the panel “Acme Analytics” with alice@acme.test as administrator",
  await panelAccess.createPanel({
    actor: { type: "operator", operatorId: "support" },
    name: "Acme Analytics",
    administratorEmail: "alice@acme.test",
  }),
  (c) => `panel ${c.panel.id} created; alice: ${c.administrator.notice}`,
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
  (g) =>
    `notice: ${g.notice}; link expires ${g.invitationExpiresAt && when(g.invitationExpiresAt)} (7 days)`,
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
  (g) =>
    `notice: ${g.notice}; link expires ${g.invitationExpiresAt && when(g.invitationExpiresAt)}: on day 3, with her access`,
);

clock.advance({ days: 1 });
await step(
  "Carol opens her link (read-only: a mail scanner could do the same)",
  await panelAccess.inspectInvitation({ token: tokenIn("carol@acme.test") }),
  (d) => `link works for ${d.email} on ${d.panel?.name}, until ${when(d.expiresAt)}`,
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
  (m) => `access now ends ${m.access.type === "temporary" ? when(m.access.endsAt) : "never"}`,
);

clock.set(start.plus({ days: 8 }));
await step(
  "Bob finally tries his link, 8 days later",
  await panelAccess.register({ token: bobsFirstLink, password: "bob's long passphrase" }),
);
await step(
  "Alice resends Bob's invitation",
  await panelAccess.resendInvitation({ actor: alice, panelId, email: "bob@acme.test" }),
  (i) => `new link expires ${when(i.expiresAt)}`,
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

clock.set(start.plus({ days: 10 }));
const listStatus = (members: { email: string; status: string }[]) =>
  members.map((m) => `${m.email}: ${m.status}`).join(", ");
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
  (g) => `notice: ${g.notice}`,
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
  (g) => `notice: ${g.notice} (no invitation: Bob logs in with his existing password)`,
);
await step(
  "Alice tries to remove herself, the panel's last administrator",
  await panelAccess.removeMember({ actor: alice, panelId, email: "alice@acme.test" }),
);

clock.advance({ hours: 2 });
await step(
  "Bob logs in with his password: the password step passes and asks for 2FA setup next",
  await panelAccess.login({ email: "bob@acme.test", password: "bob's long passphrase" }),
  (l) =>
    `next: ${l.next}${l.next === "done" ? "" : `, challenge valid until ${when(l.challengeExpiresAt)}`}`,
);
for (let attempt = 1; attempt <= 6; attempt++) {
  const result = await panelAccess.login({ email: "bob@acme.test", password: `guess ${attempt}` });
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
  (l) => `next: ${l.next}`,
);

const sent = mailer.sent.map((m) => `${m.kind}→${m.to}`);
console.log(`\n${sent.length} messages sent in all: ${sent.join(", ")}`);
