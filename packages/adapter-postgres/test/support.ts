import { randomBytes } from "node:crypto";
import {
  createPanelAccess,
  type PanelAccess,
  type PanelAccessOptions,
  type StoragePort,
} from "@panel-access/core";
import { ManualClock, RecordingMailer } from "@panel-access/core/testing";

/**
 * The library's options in these tests: cheap argon2id parameters (those of
 * the testkit's `TEST_ARGON2`; an adapter's tests do not import the testkit,
 * which depends on the adapters), a random TOTP-sealing key, and mail sent
 * before a use case answers (`awaitSending`, as the testkit's in-memory setup).
 */
export function testOptions(): PanelAccessOptions {
  return {
    appUrl: "https://app.example.test",
    argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    allowWeakHashing: true,
    twoFactor: { encryptionKeys: [{ id: "test", key: randomBytes(32) }] },
    mail: { awaitSending: true },
  };
}

/** A library instance over `store`, with a manual clock and captured mail. */
export function libraryOver(store: StoragePort): {
  panelAccess: PanelAccess;
  clock: ManualClock;
  mailer: RecordingMailer;
} {
  const clock = new ManualClock();
  const mailer = new RecordingMailer();
  const panelAccess: PanelAccess = createPanelAccess({ store, clock, mailer }, testOptions());
  return { panelAccess, clock, mailer };
}

/**
 * Creates a panel (with `settings`, if given) whose administrator has
 * registered; answers the administrator as actor.
 */
export async function panelWithAdministrator(
  panelAccess: PanelAccess,
  mailer: RecordingMailer,
  admin: string,
  settings?: { readonly ssoEnabled: boolean },
) {
  const created = (
    await panelAccess.createPanel({
      actor: { type: "system" },
      name: "Faults",
      administratorEmail: admin,
      ...(settings && { settings }),
    })
  )._unsafeUnwrap();
  const link = mailer.last(admin, "invitation")?.link ?? "";
  const token = new URL(link).searchParams.get("token") ?? "";
  (await panelAccess.register({ token, password: "administrator password" }))._unsafeUnwrap();
  return {
    panelId: created.panel.id,
    actor: { type: "account", accountId: created.administrator.accountId } as const,
  };
}
