import { randomBytes } from "node:crypto";
import { PostgresStore } from "@panel-access/adapter-postgres";
import {
  type Actor,
  createPanelAccess,
  type Logger,
  type Mailer,
  type PanelAccess,
} from "@panel-access/core";
import { type Database, withDatabase } from "./database.js";
import { type KeyConfig, readDatabase } from "./env.js";
import type { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { jsonLinesLogger } from "./logger.js";
import { misconfigured } from "./outcome.js";

/**
 * The `appUrl` the command line gives the library. No command builds a link:
 * the links of a message are sealed into it when the application queues it,
 * and `dispatch` sends them as they are. A reserved name (RFC 2606), so a
 * link built from it by mistake could never reach anyone.
 */
export const NO_APP_URL = "https://panel-access-cli.invalid";

/** The mailer of the commands that send nothing: a send would be a bug, and fails. */
const NO_MAILER: Mailer = {
  send: () => Promise.reject(new Error("this command sends no mail")),
};

/**
 * The library over the database for a support-team command (`unblock`,
 * `mail list`, `mail retry`): none of them queues or sends a message, so it
 * needs neither the application's keys nor a mailer. A key made for this
 * process alone stands in for the keys the options require (it would seal
 * nothing), and mail is never sent after a commit.
 */
function supportLibrary(database: Database, logger: Logger): PanelAccess {
  return createPanelAccess(
    {
      store: new PostgresStore(database.driver, { schema: database.schema }),
      mailer: NO_MAILER,
      logger,
    },
    {
      appUrl: NO_APP_URL,
      twoFactor: { encryptionKeys: [{ id: "cli-unused", key: new Uint8Array(randomBytes(32)) }] },
      mail: { sendAfterCommit: false },
    },
  );
}

/**
 * Runs a support-team command: reads `DATABASE_URL` and `PANEL_ACCESS_SCHEMA`
 * (exit 3 when missing or invalid), opens the database (exit 4 when
 * unreachable), and hands `work` the support library and the operator
 * actor (`{ type: "operator", operatorId: operator }`) the library records
 * in the audit trail.
 */
export function asSupport(
  io: CliIo,
  context: { readonly command: string; readonly operator: string },
  work: (library: PanelAccess, actor: Extract<Actor, { type: "operator" }>) => Promise<ExitCode>,
): Promise<ExitCode> {
  const config = readDatabase(io.env);
  if (config.isErr()) return Promise.resolve(misconfigured(io, config.error));
  const logger = jsonLinesLogger(io.stderr, context);
  return withDatabase(io, config.value, logger, (database) =>
    work(supportLibrary(database, logger), { type: "operator", operatorId: context.operator }),
  );
}

/**
 * The library over the database for `dispatch`: the application's keys open
 * the sealed messages, `mailer` sends them. Mail is sent by the dispatcher's
 * rounds only (this process commits no change of its own).
 */
export function dispatchLibrary(
  database: Database,
  keys: readonly KeyConfig[],
  mailer: Mailer,
  logger: Logger,
): PanelAccess {
  return createPanelAccess(
    { store: new PostgresStore(database.driver, { schema: database.schema }), mailer, logger },
    {
      appUrl: NO_APP_URL,
      twoFactor: { encryptionKeys: keys.map(({ id, key }) => ({ id, key })) },
      mail: { sendAfterCommit: false },
    },
  );
}
