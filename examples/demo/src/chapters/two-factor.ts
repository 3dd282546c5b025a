/**
 * Chapter 3: two-factor authentication, mandatory and set up at the first
 * complete login: a QR code, backup codes used once, a remembered browser,
 * and a reset by the administrator.
 */

import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { URI } from "otpauth";
import { when } from "../describe.js";
import type { Story } from "../narrator.js";
import type { AcmePanel } from "./invitations.js";

const challengeOf = (login: { next: string; challenge?: string } | undefined) =>
  login && "challenge" in login ? (login.challenge ?? "") : "";

export async function tellTwoFactor(story: Story, { panelId, alice }: AcmePanel): Promise<void> {
  const { panelAccess, clock, step } = story;
  console.log("\n— Two-factor authentication —");
  clock.advance({ hours: 1 });
  const setupStep = await step(
    "Bob logs in: the password step asks him to set up 2FA",
    await panelAccess.login({ email: "bob@acme.test", password: "bob's brand new passphrase" }),
    (login) => (login.next === "secondFactorSetup" ? `setup URI ${login.setup.uri}` : login.next),
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
    (setup) =>
      `setup complete, session until ${when(setup.session.expiresAt)}; backup codes (shown once): ${setup.backupCodes.join(" ")}`,
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
      (login) => `next: ${login.next}`,
    );

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
    (verified) => `logged in; ${verified.backupCodesLeft} backup codes left`,
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
    (verified) =>
      `logged in; browser remembered until ${verified.rememberedBrowser && when(verified.rememberedBrowser.expiresAt)}`,
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
}
