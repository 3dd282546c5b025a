import {
  ManualClock,
  RecordingMailer,
  TEST_ARGON2,
  testTwoFactorOptions,
} from "@panel-access/adapter-memory";
import { createPanelAccess, type PanelAccess, type StoragePort } from "@panel-access/core";

/** A library instance over `store`, with a manual clock and captured mail. */
export function libraryOver(store: StoragePort): {
  panelAccess: PanelAccess;
  clock: ManualClock;
  mailer: RecordingMailer;
} {
  const clock = new ManualClock();
  const mailer = new RecordingMailer();
  const panelAccess: PanelAccess = createPanelAccess(
    { store, clock, mailer },
    {
      appUrl: "https://app.example.test",
      argon2: TEST_ARGON2,
      allowWeakHashing: true,
      twoFactor: testTwoFactorOptions(),
    },
  );
  return { panelAccess, clock, mailer };
}

/** Creates a panel whose administrator has registered; answers the administrator as actor. */
export async function panelWithAdministrator(
  panelAccess: PanelAccess,
  mailer: RecordingMailer,
  admin: string,
) {
  const created = (
    await panelAccess.createPanel({
      actor: { type: "system" },
      name: "Faults",
      administratorEmail: admin,
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
