import { type CleanupReport, cleanup } from "@panel-access/adapter-postgres";
import { DateTime, Duration } from "luxon";
import { withDatabase } from "../database.js";
import { all, readAuditRetentionDays, readDatabase } from "../env.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { jsonLinesLogger } from "../logger.js";
import { misconfigured } from "../outcome.js";

/** The report's counts, in the order they are printed. */
const KINDS = [
  "links",
  "sessions",
  "rememberedBrowsers",
  "sentMail",
  "throttleCounters",
  "auditEvents",
] as const satisfies readonly (keyof CleanupReport)[];

/**
 * `panel-access cleanup --operator <name>`: the adapter's `cleanup` at the
 * clock's now, keeping audit events `PANEL_ACCESS_AUDIT_RETENTION_DAYS`
 * (required: the application's `audit.keepFor`; exit 3 without it), links and sent mail
 * 30 days, failed logins without an account 30 days. Prints the report;
 * the adapter's `cleanup done` line goes to standard error with the
 * operator. Safe at any time, from several places at once. Reads
 * `DATABASE_URL`, `PANEL_ACCESS_SCHEMA` and `PANEL_ACCESS_AUDIT_RETENTION_DAYS`.
 */
export async function runCleanup(io: CliIo, options: { operator: string }): Promise<ExitCode> {
  const config = all(readDatabase(io.env), readAuditRetentionDays(io.env));
  if (config.isErr()) return misconfigured(io, config.error);
  const [databaseConfig, auditRetentionDays] = config.value;
  const logger = jsonLinesLogger(io.stderr, { command: "cleanup", operator: options.operator });
  return withDatabase(io, databaseConfig, logger, async (database) => {
    const report = await cleanup(database.driver, {
      schema: database.schema,
      now: DateTime.utc(),
      keepAuditEventsFor: Duration.fromObject({ days: auditRetentionDays }),
      logger,
    });
    io.stdout(
      `cleanup of schema ${database.schema} (audit events kept ${auditRetentionDays} days), deleted:\n`,
    );
    const width = Math.max(...KINDS.map((kind) => kind.length));
    for (const kind of KINDS) io.stdout(`  ${kind.padEnd(width)}  ${report[kind]}\n`);
    return EXIT.ok;
  });
}
