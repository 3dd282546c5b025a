import { migrate, migrationSql } from "@panel-access/adapter-postgres";
import { withDatabase } from "../database.js";
import { readDatabase, readSchema } from "../env.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { jsonLinesLogger } from "../logger.js";
import { misconfigured } from "../outcome.js";

/**
 * `panel-access migrate --operator <name>`: applies the migrations the schema
 * lacks (in one transaction, under `migrate`'s advisory lock, so several
 * runs at once are safe), prints each one applied, and logs them as the
 * operator to standard error. Reads `DATABASE_URL` and `PANEL_ACCESS_SCHEMA`.
 */
export async function runMigrate(io: CliIo, options: { operator: string }): Promise<ExitCode> {
  const config = readDatabase(io.env);
  if (config.isErr()) return misconfigured(io, config.error);
  const logger = jsonLinesLogger(io.stderr, { command: "migrate", operator: options.operator });
  return withDatabase(io, config.value, logger, async (database) => {
    const report = await migrate(database.driver, { schema: database.schema, logger });
    for (const { version, name, durationMs } of report.applied) {
      io.stdout(`applied ${name} (version ${version}) in ${durationMs} ms\n`);
    }
    io.stdout(
      report.applied.length === 0
        ? `schema ${database.schema} is up to date: nothing to apply\n`
        : `schema ${database.schema}: ${report.applied.length} migration(s) applied in ${report.durationMs} ms\n`,
    );
    return EXIT.ok;
  });
}

/**
 * `panel-access migrate --print-sql [--from <version>]`: prints the
 * migrations as one SQL script for the schema (`migrationSql`), to run with
 * psql or Flyway. Connects to nothing; reads only `PANEL_ACCESS_SCHEMA`.
 */
export function runPrintSql(io: CliIo, options: { from?: number }): ExitCode {
  const schema = readSchema(io.env);
  if (schema.isErr()) return misconfigured(io, schema.error);
  io.stdout(
    migrationSql({
      schema: schema.value,
      ...(options.from !== undefined && { from: options.from }),
    }),
  );
  return EXIT.ok;
}
