import { createSmtpMailer, MailConfigError, type SmtpMailer } from "@panel-access/adapter-smtp";
import { withDatabase } from "../database.js";
import { all, readDatabase, readEncryptionKeys, readMail, VARIABLES } from "../env.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { type CliIo, complain } from "../io.js";
import { dispatchLibrary } from "../library.js";
import { jsonLinesLogger } from "../logger.js";
import { misconfigured } from "../outcome.js";

/** How `dispatch` runs. */
export interface DispatchOptions {
  readonly operator: string;
  /** Milliseconds between two rounds once the outbox is drained. @default 30 000 */
  readonly every: number;
  /** How long the shutdown waits for the sends under way, in milliseconds. @default 10 000 */
  readonly shutdownTimeout: number;
}

/** The SMTP adapter's option paths, as the variables that set them. */
const OPTION_VARIABLES: Readonly<Record<string, string>> = {
  from: VARIABLES.mailFrom,
  productName: VARIABLES.productName,
  supportContact: VARIABLES.supportContact,
  timeZone: VARIABLES.timeZone,
  locale: VARIABLES.locale,
  "smtp.host": VARIABLES.smtpHost,
  "smtp.port": VARIABLES.smtpPort,
  "smtp.auth.user": VARIABLES.smtpUser,
  "smtp.auth.pass": VARIABLES.smtpPassword,
};

/**
 * `panel-access dispatch --operator <name>`: runs the library's mail
 * dispatcher (MAIL-2) on this process until SIGINT, SIGTERM or SIGHUP
 * (`io.stopRequested()`, which keeps the process alive until then), then shuts
 * down gracefully (MAIL-4: the sends under way finish and are recorded,
 * nothing more is claimed), closes the SMTP pool and the database, and
 * exits 0 (1 when the shutdown's deadline passed with sends unfinished).
 * Every log line, the library's `mail round` and `panel-access shut down`
 * included, goes to standard error with the operator. Reads `DATABASE_URL`,
 * `PANEL_ACCESS_SCHEMA`, `PANEL_ACCESS_ENCRYPTION_KEYS` and the mail
 * settings (`PANEL_ACCESS_MAIL_FROM`, `PANEL_ACCESS_SMTP_*`…).
 */
export async function runDispatch(io: CliIo, options: DispatchOptions): Promise<ExitCode> {
  const config = all(readDatabase(io.env), readEncryptionKeys(io.env), readMail(io.env));
  if (config.isErr()) return misconfigured(io, config.error);
  const [databaseConfig, keys, mail] = config.value;
  let mailer: SmtpMailer;
  try {
    mailer = createSmtpMailer(mail);
  } catch (cause) {
    if (!(cause instanceof MailConfigError)) throw cause;
    return misconfiguredMail(io, cause);
  }
  const logger = jsonLinesLogger(io.stderr, { command: "dispatch", operator: options.operator });
  try {
    return await withDatabase(io, databaseConfig, logger, async (database) => {
      const library = dispatchLibrary(database, keys, mailer, logger);
      library.startMailDispatcher({ every: options.every });
      // Listening before saying so: a signal sent on reading the line must find the listener.
      const stopping = io.stopRequested();
      logger.info("dispatcher started", { schema: database.schema, every: options.every });
      const signal = await stopping;
      logger.info("dispatcher stopping", { signal });
      const report = await library.shutdown({ timeout: options.shutdownTimeout });
      io.stdout(
        report.settled
          ? `stopped on ${signal}: every send under way finished\n`
          : `stopped on ${signal}: ${report.unfinished} unfinished at the deadline (sent again after mail.claimFor)\n`,
      );
      return report.settled ? EXIT.ok : EXIT.refused;
    });
  } finally {
    mailer.close();
  }
}

/** The SMTP adapter's own checks, with each option's path followed by the variable that sets it. */
function misconfiguredMail(io: CliIo, error: MailConfigError): ExitCode {
  const lines = error.message
    .split("\n")
    .slice(1)
    .map((line) =>
      line.replace(/→ at (\S+)$/, (at, path: string) =>
        OPTION_VARIABLES[path] === undefined ? at : `${at} (${OPTION_VARIABLES[path]})`,
      ),
    );
  complain(io, `configuration: the mail settings are invalid:\n${lines.join("\n")}`);
  return EXIT.configuration;
}
