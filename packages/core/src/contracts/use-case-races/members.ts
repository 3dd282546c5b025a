import { URI } from "otpauth";
import type { Actor } from "../../domain/actor.js";
import { uniqueId } from "../../testing/records.js";
import type { RaceWorld } from "./instances.js";

export const PASSWORD = "contract password";

/** A panel whose administrator has registered, and the administrator as actor. */
export async function panelWithAdministrator(world: RaceWorld) {
  const first = world.instance(0);
  const adminEmail = `${uniqueId("admin").toLowerCase()}@example.com`;
  const created = (
    await first.createPanel({
      actor: { type: "system" },
      name: "Race panel",
      administratorEmail: adminEmail,
    })
  )._unsafeUnwrap();
  const token = world.tokenFor(adminEmail).at(-1) ?? "";
  (await first.register({ token, password: PASSWORD }))._unsafeUnwrap();
  const admin: Actor = { type: "account", accountId: created.administrator.accountId };
  return { panelId: created.panel.id, admin };
}

/** A new panel with its administrator, and a person just invited to it (an invitation e-mailed). */
export async function invitedMember(world: RaceWorld) {
  const { panelId, admin } = await panelWithAdministrator(world);
  const email = `${uniqueId("p").toLowerCase()}@example.com`;
  const access = { type: "permanent" } as const;
  (
    await world.instance(0).addMember({ actor: admin, panelId, email, role: "analyst", access })
  )._unsafeUnwrap();
  return { panelId, admin, email };
}

/** A registered member of a new panel who has set up 2FA; the clock is moved to a fresh step. */
export async function enrolledMember(world: RaceWorld) {
  const { email } = await invitedMember(world);
  const first = world.instance(0);
  (
    await first.register({ token: world.tokenFor(email).at(-1) ?? "", password: PASSWORD })
  )._unsafeUnwrap();
  const step = (await first.login({ email, password: PASSWORD }))._unsafeUnwrap();
  if (step.next !== "secondFactorSetup") throw new Error(`expected a setup, got ${step.next}`);
  const app = URI.parse(step.setup.uri);
  const code = () => app.generate({ timestamp: world.clockNow().toMillis() });
  const setup = await first.completeTwoFactorSetup({ challenge: step.challenge, code: code() });
  world.advance(30);
  return { email, code, backupCodes: setup._unsafeUnwrap().backupCodes };
}

/** `count` password steps of an enrolled member: one challenge each. */
export async function challenges(world: RaceWorld, email: string, count: number) {
  const steps = await Promise.all(
    Array.from({ length: count }, (_, caller) =>
      world.instance(caller).login({ email, password: PASSWORD }),
    ),
  );
  return steps.map((answer) => {
    const step = answer._unsafeUnwrap();
    if (step.next !== "secondFactor") throw new Error(`expected a second factor, got ${step.next}`);
    return step.challenge;
  });
}
