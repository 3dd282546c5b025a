import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { runCleanup } from "./commands/cleanup.js";
import { runDispatch } from "./commands/dispatch.js";
import { runMailList } from "./commands/mail-list.js";
import { runMailRetry } from "./commands/mail-retry.js";
import { runMigrate, runPrintSql } from "./commands/migrate.js";
import { runStatus } from "./commands/status.js";
import { runUnblock } from "./commands/unblock.js";
import { VARIABLES } from "./env.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { type CliIo, complain } from "./io.js";

/**
 * What an operator's name may not hold: control characters (`\p{Cc}`),
 * invisible format characters (`\p{Cf}`: zero-width spaces and joiners,
 * bidi marks and overrides, the soft hyphen), lone surrogates (`\p{Cs}`:
 * ill-formed text) and line and paragraph separators. Each would let two
 * names that look alike (`jane`, `jane\u200b`) stand apart in the trail.
 */
const NOT_IN_A_NAME = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/**
 * `--operator`: who runs the command, as the audit trail and the logs name
 * them (1 to 128 characters once trimmed, none of {@link NOT_IN_A_NAME}).
 * The name is declared, not authenticated: the database credentials are
 * the access control.
 *
 * @throws InvalidArgumentError (a usage error, exit 2) when the name is refused
 */
function operatorName(value: string): string {
  const name = value.trim();
  if (name.length === 0 || name.length > 128 || NOT_IN_A_NAME.test(name)) {
    throw new InvalidArgumentError(
      "the operator's name: 1 to 128 characters, no control or invisible format characters, well-formed text (it is written to the audit trail)",
    );
  }
  return name;
}

/** An integer option between `min` and `max`. */
function integer(min: number, max: number, what: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`${what}: a whole number from ${min} to ${max}`);
    }
    return parsed;
  };
}

/** The help's section on what a command reads from the environment. */
function environment(...lines: string[]): string {
  return `\nEnvironment:\n${lines.map((line) => `  ${line}`).join("\n")}\n`;
}

const DATABASE = [
  `${VARIABLES.databaseUrl}  required: postgres://user:password@host:5432/database`,
  `${VARIABLES.schema}  the schema of the library's tables (default panel_access)`,
];

const EXIT_CODES = `
Exit codes:
  0  done (status: no migration pending)
  1  refused by the library, nothing changed (NOT_BLOCKED, ACCOUNT_NOT_FOUND,
     MAIL_NOT_FAILED); dispatch: sends unfinished at the shutdown deadline
  2  usage: unknown command or option, missing argument or --operator, bad value
  3  configuration: an environment variable missing or invalid
  4  database unreachable, or failed during the command
  5  status: migrations pending
  70 internal error (a bug)
`;

/** The package's version, from its package.json (one level above src/ and dist/). */
function version(): string {
  const path = new URL("../package.json", import.meta.url);
  return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
}

/**
 * The `panel-access` program: every command, each with `--help`, writing
 * through `io`. A command's action hands its exit code to `answer`. Commander
 * never exits the process: it throws a `CommanderError` instead (exit
 * override), which `runCli` turns into an exit code.
 */
export function buildProgram(io: CliIo, answer: (code: ExitCode) => void): Command {
  const program = new Command("panel-access");
  program
    .description(
      "The operator's command line for panel-access on PostgreSQL: migrations, blocks, failed mail, cleanup, the mail dispatcher.",
    )
    .version(version(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help for the command")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      `\nEvery command reads ${VARIABLES.databaseUrl} and the settings it needs from the environment (see each command's --help); none is ever printed.\nCommands that change something take --operator <name>: the audit trail or the logs name them (declared, not authenticated: the database credentials are the access control).\n${EXIT_CODES}`,
    );

  program
    .command("migrate")
    .description(
      "apply the migrations the schema lacks, and print each one applied; or print the schema's SQL",
    )
    .option(
      "--operator <name>",
      "who runs it, as the logs name them (required unless --print-sql)",
      operatorName,
    )
    .option("--print-sql", "print the SQL of every migration for the schema, connecting to nothing")
    .option(
      "--from <version>",
      "with --print-sql: start at this migration version (default 1)",
      integer(1, 9999, "--from"),
    )
    .addHelpText(
      "after",
      `${environment(...DATABASE)}  (--print-sql reads only ${VARIABLES.schema})\n\nExamples:\n  panel-access migrate --operator jane\n  panel-access migrate --print-sql > schema.sql\n`,
    )
    .action(
      async (
        options: { operator?: string; printSql?: boolean; from?: number },
        command: Command,
      ) => {
        if (options.printSql) return answer(runPrintSql(io, options));
        if (options.from !== undefined) command.error("error: --from goes with --print-sql only");
        if (options.operator === undefined) {
          command.error(
            "error: required option '--operator <name>' not specified (migrate changes the schema)",
          );
        }
        answer(await runMigrate(io, { operator: options.operator }));
      },
    );

  program
    .command("status")
    .description("list the migrations applied and pending; exit 5 when any is pending")
    .addHelpText(
      "after",
      `${environment(...DATABASE)}\nExample:\n  panel-access status || panel-access migrate --operator deploy\n`,
    )
    .action(async () => answer(await runStatus(io)));

  program
    .command("unblock")
    .description(
      "lift a permanent block (LCK-5): the account starts afresh; audited as the operator",
    )
    .argument("<email>", "the account's e-mail")
    .requiredOption(
      "--operator <name>",
      "required: who lifts it, as the audit trail names them",
      operatorName,
    )
    .addHelpText(
      "after",
      `${environment(...DATABASE)}\nExample:\n  panel-access unblock person@example.com --operator jane\n`,
    )
    .action(async (email: string, options: { operator: string }) =>
      answer(await runUnblock(io, email, options)),
    );

  const mail = program
    .command("mail")
    .description("the outbox: list messages, re-queue a failed one")
    .addHelpText(
      "after",
      "\nExamples:\n  panel-access mail list --failed\n  panel-access mail retry <id> --operator jane\n",
    );

  mail
    .command("list")
    .description("list the outbox's messages with one status, oldest first (never their content)")
    .addOption(
      new Option("--failed", "failed messages (the default)").conflicts(["pending", "sent"]),
    )
    .addOption(new Option("--pending", "messages waiting to be sent").conflicts(["sent"]))
    .addOption(new Option("--sent", "messages sent and not yet cleaned up"))
    .option("--limit <n>", "at most this many, 1 to 1000", integer(1, 1000, "--limit"), 100)
    .option("--json", "one JSON object a line instead of a table")
    .addHelpText(
      "after",
      `${environment(...DATABASE)}\nExamples:\n  panel-access mail list --failed\n  panel-access mail list --pending --limit 1000 --json\n`,
    )
    .action(
      async (options: {
        failed?: boolean;
        pending?: boolean;
        sent?: boolean;
        limit: number;
        json?: boolean;
      }) => {
        const status = options.pending ? "pending" : options.sent ? "sent" : "failed";
        answer(
          await runMailList(io, { status, limit: options.limit, json: options.json === true }),
        );
      },
    );

  mail
    .command("retry")
    .description("put a failed message back in the queue, due now; audited as the operator")
    .argument("<id>", "the message's id, as mail list shows it")
    .requiredOption(
      "--operator <name>",
      "required: who re-queues it, as the audit trail names them",
      operatorName,
    )
    .addHelpText(
      "after",
      `${environment(...DATABASE)}\nExample:\n  panel-access mail retry 3q2Xk…  --operator jane\n` +
        "An id that begins with '-' goes after --:\n  panel-access mail retry --operator jane -- -Xk3q…\n",
    )
    .action(async (id: string, options: { operator: string }) =>
      answer(await runMailRetry(io, id, options)),
    );

  program
    .command("cleanup")
    .description(
      "delete what can no longer work (expired links, sessions, sent mail, decayed counters, old audit events) and print the counts",
    )
    .requiredOption(
      "--operator <name>",
      "required: who runs it, as the logs name them",
      operatorName,
    )
    .addHelpText(
      "after",
      `${environment(
        ...DATABASE,
        `${VARIABLES.auditRetentionDays}  required: the app's audit.keepFor in days (older audit events are deleted)`,
      )}\nExample:\n  PANEL_ACCESS_AUDIT_RETENTION_DAYS=365 panel-access cleanup --operator cron\n`,
    )
    .action(async (options: { operator: string }) => answer(await runCleanup(io, options)));

  program
    .command("dispatch")
    .description(
      "send the outbox's mail until SIGINT, SIGTERM or SIGHUP, then shut down gracefully (the sends under way finish)",
    )
    .requiredOption(
      "--operator <name>",
      "required: who runs it, as the logs name them",
      operatorName,
    )
    .option(
      "--every <ms>",
      "milliseconds between rounds once the outbox is drained",
      integer(100, 86_400_000, "--every"),
      30_000,
    )
    .option(
      "--shutdown-timeout <ms>",
      "how long the shutdown waits for the sends under way",
      integer(0, 2 ** 31 - 1, "--shutdown-timeout"),
      10_000,
    )
    .addHelpText(
      "after",
      `${environment(
        ...DATABASE,
        `${VARIABLES.encryptionKeys}  required: the app's twoFactor.encryptionKeys, id:base64 entries, newest first`,
        `${VARIABLES.mailFrom}  required: the sender, e.g. Acme <no-reply@acme.example>`,
        `${VARIABLES.smtpHost}  required: the SMTP server`,
        `${VARIABLES.smtpPort}  (default 587)`,
        `${VARIABLES.smtpSecure}  true for TLS from the start, port 465 (default false: STARTTLS)`,
        `${VARIABLES.smtpRequireTls}  (default true: never send in clear)`,
        `${VARIABLES.smtpUser}, ${VARIABLES.smtpPassword}  both or neither`,
        `${VARIABLES.productName}, ${VARIABLES.supportContact}, ${VARIABLES.timeZone}, ${VARIABLES.locale}  how messages look (the SMTP adapter's defaults)`,
      )}\nExample:\n  panel-access dispatch --operator mail-worker\n`,
    )
    .action(async (options: { operator: string; every: number; shutdownTimeout: number }) =>
      answer(await runDispatch(io, options)),
    );

  return program;
}

/**
 * Runs `panel-access` with `argv` (the arguments after the program's name)
 * and answers its exit code ({@link EXIT}): the command's own, 0 for `--help`
 * and `--version`, 2 for a usage error (written to `io.stderr` with a hint),
 * 70 for anything thrown that no command caught (a bug; its name only).
 * Never exits the process, and touches nothing but `io`.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = buildProgram(io, (answered) => {
    code = answered;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (caught) {
    if (caught instanceof CommanderError) return caught.exitCode === 0 ? EXIT.ok : EXIT.usage;
    complain(
      io,
      `internal error (${caught instanceof Error ? caught.name : "unknown"}): please report it`,
    );
    return EXIT.internal;
  }
  return code;
}
