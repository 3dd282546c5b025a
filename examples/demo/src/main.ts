/**
 * The panel-access story on the in-memory adapter: invitations that expire,
 * "only the latest link works", temporary access that is extended and ends,
 * an expired account restored by a re-invite, and a re-added person who gets
 * no invitation. Every message printed is a real mail intent from the core.
 */

import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Actor,
  createPanelAccess,
  type DomainEvent,
  type MailIntent,
  OWASP_ARGON2ID,
} from "@panel-access/core";
import {
  EventRecorder,
  ManualClock,
  RecordingMailer,
  testTwoFactorOptions,
} from "@panel-access/testkit";
import type { DateTime } from "luxon";
import type { Result } from "neverthrow";
import { URI } from "otpauth";
import { openDemoMail } from "./mail.js";
import { openStore, storeKindFrom } from "./store.js";

const storage = await openStore(storeKindFrom(process.argv));
const clock = new ManualClock();
const demoMail = await openDemoMail(process.env);
/** Renders and sends through the demo's mailer, and remembers what it accepted (to show it). */
const mailer = new RecordingMailer(demoMail.mailer);
const events = new EventRecorder();
const panelAccess = createPanelAccess(
  { store: storage.store, clock, mailer, events },
  {
    appUrl: "https://panel.example.com",
    argon2: OWASP_ARGON2ID,
    twoFactor: testTwoFactorOptions(),
  },
);
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
      return `your two-factor setup${m.panel === null ? " was reset by the support team" : ` for ${m.panel.name} was reset`}; set it up again at your next login (${m.loginLink})`;
    case "accessGranted":
      return `notice: ${m.grantedBy ?? "the support team"} gave you access to ${m.panel.name} as ${m.role} (${m.access.type === "temporary" ? `until ${when(m.access.endsAt)}` : "permanent"}) at ${when(m.at)}; log in at ${m.loginLink}`;
    case "passwordChanged":
      return `notice: your password was changed at ${when(m.at)}; not you? reset it at ${m.loginLink}`;
    case "twoFactorEnabled":
      return `notice: two-factor authentication set up at ${when(m.at)}`;
    case "backupCodesRegenerated":
      return `notice: new backup codes created at ${when(m.at)}; the old ones no longer work`;
    case "browserRemembered":
      return `notice: ${m.label === null ? "a browser" : `“${m.label}”`} remembered at ${when(m.at)}, skips 2FA until ${when(m.until)}`;
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

console.log(`panel-access demo (on ${storage.describe}; clock starts ${when(start)})`);

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
  (d) => `link works for ${d.email} on ${d.panel?.name}, until ${when(d.invitationExpiresAt)}`,
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
  (i) => `new link expires ${when(i.invitationExpiresAt)}`,
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

// Two-factor authentication: mandatory, set up at the first complete login.
console.log("\n— Two-factor authentication —");
clock.advance({ hours: 1 });
const setupStep = await step(
  "Bob logs in: the password step asks him to set up 2FA",
  await panelAccess.login({ email: "bob@acme.test", password: "bob's brand new passphrase" }),
  (l) => (l.next === "secondFactorSetup" ? `setup URI ${l.setup.uri}` : l.next),
);
if (setupStep?.next !== "secondFactorSetup") process.exit(1);
const qrFolder = await mkdtemp(join(tmpdir(), "panel-access-demo-"));
const qrFile = join(qrFolder, "bob-2fa-qr.png");
const qrPng = await setupStep.setup.renderQrPng();
await writeFile(qrFile, Buffer.from(qrPng.split(",")[1] ?? "", "base64"));
console.log(
  `  QR code rendered locally, written to ${qrFile} (secret for typing in: ${setupStep.setup.secret})`,
);
// Bob's phone: an RFC 6238 authenticator that knows only what it scanned.
const phone = URI.parse(setupStep.setup.uri);
const phoneCode = () => phone.generate({ timestamp: clock.now().toMillis() });
const enrolled = await step(
  "Bob types the code his authenticator app shows",
  await panelAccess.completeTwoFactorSetup({ challenge: setupStep.challenge, code: phoneCode() }),
  (d) =>
    `setup complete, session until ${when(d.session.expiresAt)}; backup codes (shown once): ${d.backupCodes.join(" ")}`,
);
const backupCode = enrolled?.backupCodes[0] ?? "";

/** Bob's password step, optionally from a remembered browser. */
const bobLogsIn = async (title: string, rememberedBrowserToken?: string) =>
  step(
    title,
    await panelAccess.login({
      email: "bob@acme.test",
      password: "bob's brand new passphrase",
      ...(rememberedBrowserToken && { rememberedBrowserToken }),
    }),
    (l) => `next: ${l.next}`,
  );
const challengeOf = (l: { next: string; challenge?: string } | undefined) =>
  l && "challenge" in l ? (l.challenge ?? "") : "";

clock.advance({ days: 1 });
const second = await bobLogsIn("Next day: Bob logs in again");
await step(
  "He enters the current code from his phone",
  await panelAccess.verifySecondFactor({ challenge: challengeOf(second), code: phoneCode() }),
  () => "logged in",
);
clock.advance({ hours: 2 });
const lostPhone = await bobLogsIn("Bob left his phone at home: he logs in with a backup code");
await step(
  `He types backup code ${backupCode}`,
  await panelAccess.verifySecondFactor({ challenge: challengeOf(lostPhone), code: backupCode }),
  (d) => `logged in; ${d.backupCodesLeft} backup codes left`,
);
const again = await bobLogsIn("Later he tries the same backup code again");
await step(
  "The used backup code is refused",
  await panelAccess.verifySecondFactor({ challenge: challengeOf(again), code: backupCode }),
);
clock.advance({ minutes: 1 });
const office = await bobLogsIn(
  "At the office Bob logs in and ticks “Remember this browser for 1 week”",
);
const remembered = await step(
  "He enters his code with the box ticked",
  await panelAccess.verifySecondFactor({
    challenge: challengeOf(office),
    code: phoneCode(),
    rememberBrowser: true,
    browserLabel: "Firefox at the office",
  }),
  (d) =>
    `logged in; browser remembered until ${d.rememberedBrowser && when(d.rememberedBrowser.expiresAt)}`,
);
const officeBrowser = remembered?.rememberedBrowser?.rememberedBrowserToken;
clock.advance({ days: 3 });
await bobLogsIn("Three days later, same browser: the second factor is skipped", officeBrowser);
await bobLogsIn("The same day from another browser: the code is asked");
clock.advance({ days: 1 });
await step(
  "Bob got a new phone: Alice resets his 2FA",
  await panelAccess.resetTwoFactor({ actor: alice, panelId, email: "bob@acme.test" }),
);
await bobLogsIn(
  "Bob's next login, even in the remembered browser, sets 2FA up anew",
  officeBrowser,
);

const sent = mailer.sent.map((m) => `${m.kind}→${m.to}`);
console.log(`\n${sent.length} messages sent in all: ${sent.join(", ")}`);
console.log(demoMail.describe());
demoMail.close();
await storage.close();
