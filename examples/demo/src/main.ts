/**
 * The panel-access story on the in-memory adapter: invitations that expire,
 * "only the latest link works", temporary access that is extended and ends,
 * an expired account restored by a re-invite, and a re-added person who gets
 * no invitation. Every message printed is a real mail intent from the core.
 */

import { createPanelAccess, OWASP_ARGON2ID } from "@panel-access/core";
import {
  EventRecorder,
  ManualClock,
  RecordingMailer,
  testTwoFactorOptions,
} from "@panel-access/testkit";
import { tellInvitations } from "./chapters/invitations.js";
import { tellMembership } from "./chapters/membership.js";
import { tellTwoFactor } from "./chapters/two-factor.js";
import { when } from "./describe.js";
import { openDemoMail } from "./mail.js";
import { createStory } from "./narrator.js";
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
const story = createStory({ panelAccess, clock, mailer, events });

console.log(`panel-access demo (on ${storage.describe}; clock starts ${when(story.start)})`);
const acme = await tellInvitations(story);
await tellMembership(story, acme);
await tellTwoFactor(story, acme);

const sent = mailer.sent.map((mail) => `${mail.kind}→${mail.to}`);
console.log(`\n${sent.length} messages sent in all: ${sent.join(", ")}`);
console.log(demoMail.describe());
demoMail.close();
await storage.close();
