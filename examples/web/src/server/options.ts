/** What the example is started with, and the refusal of settings that are not safe or not complete. */
import { randomBytes } from "node:crypto";
import type { PanelAccessOptions } from "@panel-access/core";

/** The name in every message and in the authenticator app. */
export const PRODUCT_NAME = "Panel Access example";

export interface ServerOptions {
  /** @default 3000; 0 picks a free port */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** A PostgreSQL URL; without one, the in-memory adapter (nothing survives a restart). */
  readonly databaseUrl?: string | undefined;
  /** The public URL when served behind HTTPS (cookies become `Secure` and `__Host-`). @default the local http URL */
  readonly publicUrl?: string | undefined;
  /**
   * Development mode: mail goes to the mail viewer (`/mail`) instead of SMTP,
   * the test routes (`POST /__test/clock`) are mounted, and the
   * administrator's password and the support key are random unless given.
   * Refused with a `databaseUrl` or an https `publicUrl`: the mail viewer
   * shows every link to anyone who reaches the app. @default false
   */
  readonly development?: boolean;
  /**
   * Required outside development mode: the SMTP server, as
   * `smtp://user:password@host:587` (STARTTLS required) or `smtps://…:465`.
   * `?requireTLS=false` lets a server on this host (loopback only) answer without STARTTLS.
   */
  readonly smtpUrl?: string | undefined;
  /** Required outside development mode: the sender of every message (`Name <address>` or an address). */
  readonly mailFrom?: string | undefined;
  /** The seeded administrator's e-mail, on the first run. @default "admin@example.test" */
  readonly administratorEmail?: string | undefined;
  /**
   * The seeded administrator's password (12 to 256 characters), used on the
   * first run only. Required then, outside development mode. @default random in development mode
   */
  readonly administratorPassword?: string | undefined;
  /** What the support page asks for (at least 16 characters). Required outside development mode. @default random in development mode */
  readonly supportKey?: string | undefined;
  /**
   * LCK-9: the proxies of your own (TLS terminator, load balancer) in front
   * of the app, as addresses or CIDR ranges (`10.0.0.0/8`, `::1`) or the
   * names `loopback`, `linklocal`, `uniquelocal`. A request from one of them
   * has its `X-Forwarded-For` read right to left, to the first address that
   * is not one of them: the client. Empty: the socket's address, and the
   * header is ignored (anyone can send it). Checked at start. @default []
   */
  readonly trustedProxies?: readonly string[] | undefined;
  /**
   * LCK-9: the library's throttle limits (`createPanelAccess`'s `throttle`
   * option; see docs/abuse.md). @default the library's defaults
   */
  readonly throttle?: PanelAccessOptions["throttle"];
  /**
   * AUD-2: how many events an activity page shows before its "Older" link
   * (1 to 200, the library's bounds). @default 25
   */
  readonly activityPageSize?: number | undefined;
}

/** Start-up refused: the options (or the environment behind them) are not safe or not complete. */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

/**
 * Refuses a development mode that others could reach, a production mode
 * without its settings and an `activityPageSize` the library would
 * refuse. Answers the support key. (`trustedProxies` is checked by the web
 * layer, `server.ts`.)
 */
export function checkOptions(options: ServerOptions, development: boolean): string {
  const pageSize = options.activityPageSize ?? 25;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200) {
    throw new StartupError("activityPageSize must be a whole number from 1 to 200.");
  }
  if (development) {
    const reason = options.databaseUrl
      ? "DATABASE_URL is set"
      : /^https:/i.test(options.publicUrl ?? "")
        ? "PUBLIC_URL is https"
        : undefined;
    if (reason !== undefined) {
      throw new StartupError(
        `Development mode refused: ${reason}, so this looks like a deployment. Development mode shows every e-mail, with its sign-in links, at /mail to anyone who reaches the app. Start in production mode instead (neither --dev nor NODE_ENV=development), with SMTP_URL, MAIL_FROM and SUPPORT_KEY (see examples/web/README.md).`,
      );
    }
    return options.supportKey ?? randomBytes(12).toString("base64url");
  }
  const missing = [
    options.smtpUrl ? undefined : "SMTP_URL",
    options.mailFrom ? undefined : "MAIL_FROM",
    options.supportKey ? undefined : "SUPPORT_KEY",
  ].filter((name) => name !== undefined);
  if (missing.length > 0 || options.supportKey === undefined) {
    throw new StartupError(
      `Not started: ${missing.join(", ")} not set. Outside development mode the app sends real mail over SMTP and takes its secrets from the environment (see examples/web/README.md). For a local try-out with the mail viewer, start in development mode: --dev or NODE_ENV=development (pnpm example:web --dev).`,
    );
  }
  if (options.supportKey.length < 16) {
    throw new StartupError("SUPPORT_KEY must be at least 16 characters.");
  }
  return options.supportKey;
}
