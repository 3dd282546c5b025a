import type { PanelAccess } from "@panel-access/core";
import type { ManualClock, RecordingMailer } from "@panel-access/testkit";
import { URI } from "otpauth";

export const PASSWORD = "benchmark passphrase";

/** A library instance with its captured mail and clock, as the benches drive it. */
export interface BenchWorld {
  readonly panelAccess: PanelAccess;
  readonly mailer: RecordingMailer;
  readonly clock: ManualClock;
}

/** A panel and `count` registered members `member<i>@bench.test`; answers their e-mails. */
export async function seedMembers(world: BenchWorld, count: number): Promise<string[]> {
  const { panelAccess, mailer } = world;
  const created = (
    await panelAccess.createPanel({
      actor: { type: "system" },
      name: "Bench",
      administratorEmail: "admin@bench.test",
    })
  )._unsafeUnwrap();
  // MAIL-4: invitations are sent after the answer; wait for them before reading the links.
  await panelAccess.settled();
  const tokenOf = (email: string) => {
    const m = mailer.last(email, "invitation");
    return m ? (new URL(m.link).searchParams.get("token") ?? "") : "";
  };
  (
    await panelAccess.register({ token: tokenOf("admin@bench.test"), password: PASSWORD })
  )._unsafeUnwrap();
  const admin = { type: "account", accountId: created.administrator.accountId } as const;
  const emails = Array.from({ length: count }, (_, i) => `member${i}@bench.test`);
  for (const email of emails) {
    const access = { type: "permanent" } as const;
    await panelAccess.addMember({
      actor: admin,
      panelId: created.panel.id,
      email,
      role: "analyst",
      access,
    });
  }
  await panelAccess.settled();
  await Promise.all(
    emails.map((email) => panelAccess.register({ token: tokenOf(email), password: PASSWORD })),
  );
  return emails;
}

/** Sets up 2FA for these accounts; answers their authenticators (from the URI) and backup codes. */
export async function enrol(world: BenchWorld, emails: string[]) {
  const { panelAccess, clock } = world;
  const enrolled = [];
  for (const email of emails) {
    const step = (await panelAccess.login({ email, password: PASSWORD }))._unsafeUnwrap();
    if (step.next !== "secondFactorSetup") throw new Error(step.next);
    const phone = URI.parse(step.setup.uri);
    const code = () => phone.generate({ timestamp: clock.now().toMillis() });
    const done = await panelAccess.completeTwoFactorSetup({
      challenge: step.challenge,
      code: code(),
    });
    enrolled.push({ email, code, backupCodes: [...done._unsafeUnwrap().backupCodes] });
  }
  clock.advance({ seconds: 30 });
  return enrolled;
}

/** A complete login (password step, then the TOTP code) for each account; answers their session tokens. */
export async function openSessions(
  panelAccess: PanelAccess,
  accounts: readonly { readonly email: string; readonly code: () => string }[],
): Promise<string[]> {
  const tokens: string[] = [];
  for (const account of accounts) {
    const step = (
      await panelAccess.login({ email: account.email, password: PASSWORD })
    )._unsafeUnwrap();
    if (step.next !== "secondFactor") throw new Error(step.next);
    const done = (
      await panelAccess.verifySecondFactor({ challenge: step.challenge, code: account.code() })
    )._unsafeUnwrap();
    tokens.push(done.session.sessionToken);
  }
  return tokens;
}
