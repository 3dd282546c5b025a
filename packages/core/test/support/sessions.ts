import type { AuthenticationMethod } from "@panel-access/core";
import { ok } from "neverthrow";
import { recordLoginFailure } from "../../src/accounts/steps/record-login-failure.js";
import { createDependencies } from "../../src/panel-access.js";
import { runUnitOfWork } from "../../src/runtime/unit-of-work.js";
import { completeLogin } from "../../src/sessions/steps/complete-login.js";
import type { World } from "./world.js";

/**
 * Opens a session as a login that passed every factor would (SES-1), without
 * playing the 2FA flow: for tests about sessions and lockout, not about 2FA.
 */
export async function openSession(w: World, email: string, method: AuthenticationMethod = "local") {
  const deps = internals(w);
  const result = await runUnitOfWork(deps, { accounts: [email] }, async (tx, outbox) => {
    const account = await tx.findAccountByEmail(email);
    if (account === null) throw new Error(`no account ${email}`);
    return ok(await completeLogin(deps, tx, outbox, { account, method, now: deps.clock.now() }));
  });
  return result._unsafeUnwrap();
}

/** The core's dependencies over the world's store, clock, mailer and events. */
function internals(w: World) {
  return createDependencies(
    { store: w.store, clock: w.clock, mailer: w.mailer, events: w.events },
    w.panelAccess.options,
  );
}

/**
 * Counts a wrong second factor the way the 2FA step does (LCK-6), through
 * the same core function as a wrong password.
 */
export async function failSecondFactor(w: World, email: string) {
  const deps = internals(w);
  const result = await runUnitOfWork(deps, { accounts: [email] }, async (tx, outbox) => {
    const account = await tx.findAccountByEmail(email);
    if (account === null) throw new Error(`no account ${email}`);
    const now = deps.clock.now();
    return ok(
      await recordLoginFailure(deps, tx, outbox, { account, reason: "wrongSecondFactor", now }),
    );
  });
  return result._unsafeUnwrap();
}
