import { withDatabase } from "../database.js";
import { readDatabase } from "../env.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { supportLibrary } from "../library.js";
import { jsonLinesLogger } from "../logger.js";
import { misconfigured, refusal } from "../outcome.js";

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
export async function runMailRetry(
  io: CliIo,
  messageId: string,
  options: { operator: string },
): Promise<ExitCode> {
  const config = readDatabase(io.env);
  if (config.isErr()) return misconfigured(io, config.error);
  const logger = jsonLinesLogger(io.stderr, { command: "mail retry", operator: options.operator });
  return withDatabase(io, config.value, logger, async (database) => {
    const library = supportLibrary(database, logger);
    const actor = { type: "operator", operatorId: options.operator } as const;
    const retried = await library.retryMail({ actor, messageId });
    if (retried.isErr()) {
      return refusal(io, retried.error, {
        MAIL_NOT_FAILED:
          "no failed message has this id (it is pending, sent, or unknown); nothing changed",
      });
    }
    io.stdout(
      `re-queued message ${retried.value.messageId}, as operator ${options.operator}: a running dispatcher sends it\n`,
    );
    return EXIT.ok;
  });
}
