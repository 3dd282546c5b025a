import type { DateTime } from "luxon";
import type { Dependencies } from "../dependencies.js";
import type { Outbox } from "../outbox.js";

/** The login page of the host, named in messages that need no token. */
export function loginLink(deps: Dependencies): string {
  return new URL(deps.options.paths.login, deps.options.appUrl).toString();
}

/**
 * MAIL-3: queues a security notice (what happened to the account, and when)
 * in the unit of work that made the change, like every message (MAIL-2). A
 * notice names no secret; the template tells the person what to do if it
 * was not them.
 */
export function sendSecurityNotice(
  deps: Dependencies,
  outbox: Outbox,
  account: { readonly id: string; readonly email: string },
  notice:
    | { readonly kind: "passwordChanged" | "twoFactorEnabled" | "backupCodesRegenerated" }
    | {
        readonly kind: "browserRemembered";
        readonly label: string | null;
        readonly until: DateTime;
      },
  at: DateTime,
): void {
  outbox.sendMail({ ...notice, to: account.email, at, loginLink: loginLink(deps) }, account.id);
}
