import { EXIT, type ExitCode } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { asSupport } from "../library.js";
import { refusal } from "../outcome.js";

/**
 * `panel-access unblock <email> --operator <name>`: lifts a permanent block
 * (LCK-5) through the library's `unblockAccount`, as the operator named; the
 * library records `account.unblocked` with that operator in the audit trail
 * (AUD-2). Exit 1 for an account that is not blocked (`NOT_BLOCKED`) or does
 * not exist (`ACCOUNT_NOT_FOUND`). Reads `DATABASE_URL` and `PANEL_ACCESS_SCHEMA`.
 */
export function runUnblock(
  io: CliIo,
  email: string,
  options: { operator: string },
): Promise<ExitCode> {
  return asSupport(io, { command: "unblock", ...options }, async (library, actor) => {
    const unblocked = await library.unblockAccount({ actor, email });
    if (unblocked.isErr()) {
      return refusal(io, unblocked.error, {
        NOT_BLOCKED: "the account is not permanently blocked; nothing changed",
        ACCOUNT_NOT_FOUND: "no account has this e-mail; nothing changed",
      });
    }
    io.stdout(
      `unblocked account ${unblocked.value.accountId}, as operator ${actor.operatorId}: it starts afresh (no lock, no failures)\n`,
    );
    return EXIT.ok;
  });
}
