import { err, ok, type ResultAsync } from "neverthrow";
import { z } from "zod";
import { statusOf } from "../domain/account.js";
import { isMembershipLive } from "../domain/membership.js";
import {
  type InvalidInput,
  type NoLiveAccess,
  type PanelNotFound,
  panelNotFound,
  type StorageFailed,
} from "../errors.js";
import { emailSchema, idSchema, parseInput } from "../input/schemas.js";
import type { Dependencies } from "../runtime/dependencies.js";
import { runUnitOfWork } from "../runtime/unit-of-work.js";
import { completeLogin, type IssuedSession } from "../sessions/steps/complete-login.js";

export const openSsoSessionInput = z.object({
  /** The person the host's identity provider has verified. */
  email: emailSchema,
  /** The panel they are entering; it must have SSO enabled. */
  panelId: idSchema,
});
/** What `openSsoSession` takes; validated with zod (INP-1). */
export type OpenSsoSessionInput = z.input<typeof openSsoSessionInput>;
/** Every error `openSsoSession` can answer. */
export type OpenSsoSessionError =
  | InvalidInput
  | PanelNotFound
  | { readonly type: "SSO_NOT_ENABLED" }
  | NoLiveAccess
  | StorageFailed;

/**
 * TFA-9: for a host whose identity provider has verified the person (the host
 * checks the assertion; the library trusts the call). For a panel with SSO
 * enabled and an active account with live access to it, opens a session
 * without the library's second factor. The session reaches only SSO panels.
 * A panel without SSO is refused: it still requires 2FA.
 */
export function openSsoSession(
  deps: Dependencies,
  input: OpenSsoSessionInput,
): ResultAsync<IssuedSession, OpenSsoSessionError> {
  return parseInput(openSsoSessionInput, input).asyncAndThen(({ email, panelId }) =>
    runUnitOfWork(deps, { accounts: [email] }, async (tx, outbox) => {
      const now = deps.clock.now();
      const panel = await tx.findPanel(panelId);
      if (panel === null) return err(panelNotFound());
      if (!panel.settings.ssoEnabled) return err({ type: "SSO_NOT_ENABLED" } as const);
      const found = await tx.findAccountWithMemberships({ email });
      const account = found?.account ?? null;
      const memberships = found?.memberships ?? [];
      const here = memberships.find((m) => m.panelId === panelId);
      if (
        account === null ||
        statusOf(account, memberships, now) !== "active" ||
        !here ||
        !isMembershipLive(here, now)
      ) {
        return err({ type: "NO_LIVE_ACCESS" } as const);
      }
      return ok(await completeLogin(deps, tx, outbox, { account, method: "sso", now }));
    }),
  );
}
