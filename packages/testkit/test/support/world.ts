import {
  type Actor,
  type AddMemberInput,
  createArgon2idHasher,
  type MailIntent,
} from "@panel-access/core";
import {
  createInMemoryPanelAccess,
  type InMemoryOptions,
  scan,
  TEST_ARGON2,
} from "@panel-access/testkit";
import { err } from "neverthrow";
import { expect } from "vitest";

export const ADMIN_EMAIL = "admin@example.com";
export const ADMIN_PASSWORD = "correct horse battery staple";
export const PASSWORD = "a long enough password";

/** The token inside an e-mailed link. */
export function tokenOf(message: MailIntent | undefined): string {
  expect(message?.kind).toBe("invitation");
  const link = message?.kind === "invitation" ? message.link : "";
  const token = new URL(link).searchParams.get("token");
  expect(token).toBeTruthy();
  return token ?? "";
}

/**
 * An in-memory setup with one panel ("Acme") whose administrator has
 * registered; `admin` is the actor for administrative calls.
 */
export async function worldWithPanel(options: InMemoryOptions = {}) {
  const setup = createInMemoryPanelAccess(options);
  const { panelAccess, mailer } = setup;
  const created = (
    await panelAccess.createPanel({
      actor: { type: "system" },
      name: "Acme",
      administratorEmail: ADMIN_EMAIL,
    })
  )._unsafeUnwrap();
  const token = tokenOf(mailer.last(ADMIN_EMAIL, "invitation"));
  (await panelAccess.register({ token, password: ADMIN_PASSWORD }))._unsafeUnwrap();
  const admin: Actor = { type: "account", accountId: created.administrator.accountId };
  const panelId = created.panel.id;

  /** Adds a person and returns the token of their invitation, if one was sent. */
  async function invite(
    email: string,
    access: AddMemberInput["access"] = { type: "permanent" },
    role = "analyst",
  ) {
    const grant = (
      await panelAccess.addMember({ actor: admin, panelId, email, role, access })
    )._unsafeUnwrap();
    return {
      grant,
      token: grant.notice === "invitation" ? tokenOf(mailer.last(email, "invitation")) : null,
    };
  }

  /** Adds and registers a person. */
  async function member(
    email: string,
    role = "analyst",
    access: AddMemberInput["access"] = { type: "permanent" },
  ) {
    const { grant, token } = await invite(email, access, role);
    (await panelAccess.register({ token: token ?? "", password: PASSWORD }))._unsafeUnwrap();
    return { type: "account", accountId: grant.accountId } as const satisfies Actor;
  }

  /**
   * A registered member who has set up 2FA with a scripted authenticator.
   * The clock moves on 30 s afterwards, so the next code is a fresh one.
   */
  async function enrolled(email: string, role = "analyst") {
    const actor = await member(email, role);
    const step = (await panelAccess.login({ email, password: PASSWORD }))._unsafeUnwrap();
    if (step.next !== "secondFactorSetup") throw new Error(`expected a setup, got ${step.next}`);
    const app = scan(step.setup.uri, setup.clock);
    const done = (
      await panelAccess.completeTwoFactorSetup({ challenge: step.challenge, code: app.code() })
    )._unsafeUnwrap();
    setup.clock.advance({ seconds: 30 });
    return { actor, app, backupCodes: done.backupCodes, session: done.session };
  }

  /** The password step for an enrolled member; its challenge. */
  async function passwordStep(email: string, rememberedBrowserToken?: string) {
    const step = (
      await panelAccess.login({
        email,
        password: PASSWORD,
        ...(rememberedBrowserToken && { rememberedBrowserToken }),
      })
    )._unsafeUnwrap();
    return step;
  }

  /** The password step of an enrolled member, which must ask for the second factor next. */
  async function secondFactorStep(email: string, rememberedBrowserToken?: string) {
    const step = await passwordStep(email, rememberedBrowserToken);
    if (step.next !== "secondFactor") expect.fail(`expected a second factor, got ${step.next}`);
    return step;
  }

  async function otherPanel(name = "Globex") {
    const panel = (
      await panelAccess.createPanel({
        actor: { type: "system" },
        name,
        administratorEmail: ADMIN_EMAIL,
      })
    )._unsafeUnwrap();
    return panel.panel.id;
  }

  return {
    ...setup,
    admin,
    panelId,
    invite,
    member,
    otherPanel,
    enrolled,
    passwordStep,
    secondFactorStep,
  };
}

export type World = Awaited<ReturnType<typeof worldWithPanel>>;

/** What the stores, the mailer and the event sink hold: a refusal must leave it as it was. */
export function stateOf(w: World) {
  return { store: w.store.snapshot(), mail: w.mailer.sent.length, events: w.events.events.length };
}

/** An argon2id hasher (test parameters) that records every hash and verification it performs. */
export function countingHasher() {
  const inner = createArgon2idHasher(TEST_ARGON2);
  const verified: string[] = [];
  const hashed: number[] = [];
  return {
    verified,
    /** One entry per `hash` call. */
    hashed,
    hasher: {
      hash: (password: string) => {
        hashed.push(hashed.length);
        return inner.hash(password);
      },
      verify: (hash: string, password: string) => {
        verified.push(hash);
        return inner.verify(hash, password);
      },
    },
  };
}

/** The status of `email` in the world's panel, as User Management shows it. */
export async function statusIn(w: World, email: string) {
  const members = (
    await w.panelAccess.listMembers({ actor: w.admin, panelId: w.panelId })
  )._unsafeUnwrap();
  return members.find((m) => m.email === email)?.status;
}

/** The token of the newest reset link e-mailed to `email` (plain reset or "account locked"). */
export function resetTokenOf(w: World, email: string): string {
  const message = w.mailer
    .to(email)
    .filter((m) => m.kind === "passwordReset" || m.kind === "accountLocked")
    .at(-1);
  const link =
    message?.kind === "passwordReset"
      ? message.link
      : message?.kind === "accountLocked"
        ? message.resetLink
        : "";
  const token = link ? new URL(link).searchParams.get("token") : null;
  expect(token).toBeTruthy();
  return token ?? "";
}

/**
 * `times` wrong passwords for `email`, each answered `LOGIN_FAILED`; then
 * waits for their counts, written after each answer (LCK-8 v2).
 */
export async function failLogins(w: World, email: string, times: number) {
  for (let i = 0; i < times; i++) {
    expect(await w.panelAccess.login({ email, password: "not the password" })).toEqual(
      err({ type: "LOGIN_FAILED" }),
    );
  }
  await w.panelAccess.settled();
}

/**
 * Locks `email`'s account (six wrong passwords), then resets its password to
 * `password` through the e-mailed link.
 */
export async function lockAndReset(w: World, email: string, password: string) {
  await failLogins(w, email, 6);
  (await w.panelAccess.resetPassword({ token: resetTokenOf(w, email), password }))._unsafeUnwrap();
}
