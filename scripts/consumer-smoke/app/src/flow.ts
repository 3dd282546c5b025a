/**
 * The whole first visit of a person, as an app outside the monorepo writes
 * it against the published packages: a panel is created, its administrator
 * registers through the e-mailed link, logs in, sets up TOTP and holds a
 * session. Shared by the ESM and the CommonJS entry points.
 */

import type * as Memory from "@panel-access/adapter-memory";
import type * as Core from "@panel-access/core";
import type * as Testing from "@panel-access/core/testing";
import type { Result } from "neverthrow";
import type * as OTPAuth from "otpauth";

/** The packages the flow runs on, loaded by `import` or by `require`. */
export interface Packages {
  readonly core: typeof Core;
  readonly memory: typeof Memory;
  readonly testing: typeof Testing;
  readonly otpauth: typeof OTPAuth;
}

/** Fails the script with a message naming the step. */
function expectOk<T, E>(step: string, result: Result<T, E>): T {
  if (result.isErr()) throw new Error(`${step} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** Runs invite → register → login (with TOTP set-up) → session check; answers the e-mail logged in. */
export async function inviteRegisterLogin({
  core,
  memory,
  testing,
  otpauth,
}: Packages): Promise<string> {
  const mailer = new testing.RecordingMailer();
  const panelAccess = core.createPanelAccess(
    { store: new memory.MemoryStore(), mailer },
    {
      appUrl: "https://app.example.com",
      twoFactor: { encryptionKeys: [{ id: "smoke", key: Buffer.alloc(32, 7) }] },
    },
  );
  expectOk(
    "createPanel",
    await panelAccess.createPanel({
      actor: { type: "operator", operatorId: "smoke" },
      name: "Smoke Test",
      administratorEmail: "alice@example.com",
    }),
  );
  await panelAccess.settled();
  const invitation = mailer.last("alice@example.com", "invitation");
  const token = invitation && new URL(invitation.link).searchParams.get("token");
  if (!token) throw new Error("no invitation was sent");
  const password = "a long and unusual passphrase";
  expectOk("register", await panelAccess.register({ token, password }));

  const step = expectOk("login", await panelAccess.login({ email: "alice@example.com", password }));
  if (step.next !== "secondFactorSetup")
    throw new Error(`expected the 2FA set-up, got ${step.next}`);
  const code = otpauth.URI.parse(step.setup.uri).generate();
  const done = expectOk(
    "completeTwoFactorSetup",
    await panelAccess.completeTwoFactorSetup({ challenge: step.challenge, code }),
  );
  const session = expectOk(
    "validateSession",
    await panelAccess.validateSession({ sessionToken: done.session.sessionToken }),
  );
  await panelAccess.shutdown();
  return session.email;
}
