import { EXIT, type ExitCode } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { asSupport } from "../library.js";
import { refusal } from "../outcome.js";

/**
 * `panel-access mail retry <id> --operator <name>`: puts a `failed` message
 * back in the queue, due at once with a fresh set of attempts, through the
 * library's `retryMail` as the operator named; the library records
 * `mail.requeued` with that operator in the audit trail (AUD-2). It sends
 * nothing itself: a running dispatcher (the application's, or
 * `panel-access dispatch`) does. Exit 1 for a message that is not `failed`
 * or does not exist (`MAIL_NOT_FAILED`). Reads `DATABASE_URL` and
 * `PANEL_ACCESS_SCHEMA`.
 */
export function runMailRetry(
  io: CliIo,
  messageId: string,
  options: { operator: string },
): Promise<ExitCode> {
  return asSupport(io, { command: "mail retry", ...options }, async (library, actor) => {
    const retried = await library.retryMail({ actor, messageId });
    if (retried.isErr()) {
      return refusal(io, retried.error, {
        MAIL_NOT_FAILED:
          "no failed message has this id (it is pending, sent, or unknown); nothing changed",
      });
    }
    io.stdout(
      `re-queued message ${retried.value.messageId}, as operator ${actor.operatorId}: a running dispatcher sends it\n`,
    );
    return EXIT.ok;
  });
}
