import { migrationStatus } from "@panel-access/adapter-postgres";
import { silentLogger } from "@panel-access/core";
import { withDatabase } from "../database.js";
import { readDatabase } from "../env.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { misconfigured } from "../outcome.js";

/**
 * `panel-access status`: the migrations the schema has (with when each was
 * applied) and those it lacks. Read-only. Exit 0 when none is pending, 5
 * when some are (so a deployment can run `panel-access status ||
 * panel-access migrate …`). Reads `DATABASE_URL` and `PANEL_ACCESS_SCHEMA`.
 */
export async function runStatus(io: CliIo): Promise<ExitCode> {
  const config = readDatabase(io.env);
  if (config.isErr()) return misconfigured(io, config.error);
  return withDatabase(io, config.value, silentLogger, async (database) => {
    const { applied, pending } = await migrationStatus(database.driver, {
      schema: database.schema,
    });
    for (const { name, appliedAt } of applied) {
      io.stdout(`applied  ${name}  ${appliedAt.toISOString()}\n`);
    }
    for (const { name } of pending) io.stdout(`pending  ${name}\n`);
    io.stdout(
      `schema ${database.schema}: ${applied.length} applied, ${pending.length} pending${
        pending.length > 0 ? " (run panel-access migrate)" : ""
      }\n`,
    );
    return pending.length > 0 ? EXIT.pending : EXIT.ok;
  });
}
