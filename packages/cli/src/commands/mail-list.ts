import type { QueuedMail } from "@panel-access/core";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { CliIo } from "../io.js";
import { asSupport } from "../library.js";
import { refusal } from "../outcome.js";

/** Which messages `mail list` shows, and how. */
export interface MailListOptions {
  /** @default "failed" */
  readonly status: "failed" | "pending" | "sent";
  /** 1 to 1,000. @default 100 */
  readonly limit: number;
  /** One JSON object a line instead of a table. @default false */
  readonly json: boolean;
}

const COLUMNS = ["id", "kind", "account", "attempts", "created", "next attempt", "last error"];

/**
 * `panel-access mail list [--failed|--pending|--sent] [--limit <n>] [--json]`:
 * the outbox's messages with one status, oldest first, through the library's
 * `listMail` as the support team: what and to whom, never the content.
 * Read-only. Reads `DATABASE_URL` and `PANEL_ACCESS_SCHEMA`.
 */
export function runMailList(io: CliIo, options: MailListOptions): Promise<ExitCode> {
  // Read-only: the support actor of the listing is the command line itself.
  const context = { command: "mail list", operator: "panel-access-cli" };
  return asSupport(io, context, async (library, actor) => {
    const listed = await library.listMail({ actor, status: options.status, limit: options.limit });
    if (listed.isErr()) return refusal(io, listed.error, {});
    if (options.json) {
      for (const message of listed.value) io.stdout(`${JSON.stringify(message)}\n`);
    } else if (listed.value.length === 0) {
      io.stdout(`no ${options.status} messages\n`);
    } else {
      io.stdout(table([COLUMNS, ...listed.value.map(row)]));
    }
    return EXIT.ok;
  });
}

/** One message as the table's cells. */
function row(message: QueuedMail): string[] {
  return [
    message.messageId,
    message.kind,
    message.accountId,
    String(message.attempts),
    message.createdAt.toUTC().toISO() ?? "",
    message.status === "pending" ? (message.nextAttemptAt.toUTC().toISO() ?? "") : "-",
    message.lastError ?? "-",
  ];
}

/** Rows as left-aligned columns, two spaces apart. */
function table(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((cells) => (cells[column] ?? "").length)),
  );
  return rows
    .map((cells) =>
      cells
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}
