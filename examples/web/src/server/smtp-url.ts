import type { SmtpMailerOptions } from "@panel-access/adapter-smtp";
import { StartupError } from "./options.js";

/**
 * `smtp://user:password@host:port` (STARTTLS required; port 587 by default)
 * or `smtps://…` (TLS from the first byte; port 465 by default). With
 * `?requireTLS=false`, a server on this host may answer without STARTTLS.
 * Error messages never repeat the URL (it may hold a password).
 */
export function smtpServer(smtpUrl: string): NonNullable<SmtpMailerOptions["smtp"]> {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new StartupError("SMTP_URL is not a URL: smtp://user:password@host:587 or smtps://…");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new StartupError("SMTP_URL must start with smtp:// (STARTTLS) or smtps:// (TLS).");
  }
  const secure = url.protocol === "smtps:";
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const requireTLS = url.searchParams.get("requireTLS") !== "false";
  if (!requireTLS && !["127.0.0.1", "::1", "localhost"].includes(host)) {
    throw new StartupError(
      "SMTP_URL: requireTLS=false is only for a server on this host (127.0.0.1, ::1, localhost); links would cross the network in clear.",
    );
  }
  const user = decodeURIComponent(url.username);
  return {
    host,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS,
    ...(user && { auth: { user, pass: decodeURIComponent(url.password) } }),
  };
}
