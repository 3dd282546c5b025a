import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { MemoryStore } from "@panel-access/adapter-memory";
import { migrate, PostgresStore, pgDriver } from "@panel-access/adapter-postgres";
import { createSmtpMailer, type SmtpMailerOptions } from "@panel-access/adapter-smtp";
import {
  type Clock,
  createOfflinePasswordScreen,
  createPanelAccess,
  normaliseEmail,
  type PanelAccessOptions,
  type StoragePort,
  startMailDispatcher,
} from "@panel-access/core";
import pg from "pg";
import { createWebApp } from "./app.js";
import { OffsetClock } from "./clock.js";
import { DevMailbox } from "./mailbox.js";
import type { WebApp } from "./web-context.js";

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
   * LCK-9: how many proxies of our own (TLS terminator, load balancer) stand
   * in front of the app, each appending to `X-Forwarded-For`. With N, the
   * client's address is the N-th entry of that header from the right; with
   * 0, the socket's address, and the header is ignored (anyone can send it).
   * A whole number from 0 to 10. @default 0
   */
  readonly trustedProxies?: number | undefined;
  /**
   * LCK-9: the library's throttle limits (`createPanelAccess`'s `throttle`
   * option; see docs/abuse.md). @default the library's defaults
   */
  readonly throttle?: PanelAccessOptions["throttle"];
}

export interface RunningServer {
  readonly url: string;
  readonly development: boolean;
  readonly administrator: { readonly email: string; readonly password: string };
  readonly supportKey: string;
  readonly app: WebApp;
  close(): Promise<void>;
}

/** Start-up refused: the options (or the environment behind them) are not safe or not complete. */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

const PANEL_NAME = "Acme Analytics";
const PRODUCT_NAME = "Panel Access example";

/**
 * Starts the example: the library on memory or Postgres, the web app, and a
 * first-run seed (a panel and its administrator; 2FA is set up at the first
 * sign-in, as for anyone). Development mode keeps mail in the mail viewer;
 * otherwise mail goes out over SMTP and the secrets come from the options.
 *
 * @throws StartupError (as a rejection) for a development mode that could be
 * reached from outside, or a missing or bad setting outside development mode.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const development = options.development ?? false;
  const supportKey = checkOptions(options, development);
  const trustedProxies = options.trustedProxies ?? 0;
  const outbox = development
    ? new DevMailbox(PRODUCT_NAME)
    : createSmtpMailer({
        from: options.mailFrom ?? "",
        productName: PRODUCT_NAME,
        smtp: smtpServer(options.smtpUrl ?? ""),
      });

  let handler: (request: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response("starting", { status: 503 });
  const server = serve({
    // The bindings carry the socket, for the client's address (`getConnInfo`).
    fetch: (request, env) => handler(request, env),
    port: options.port ?? 3000,
    hostname: options.host ?? "127.0.0.1",
  });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = options.publicUrl ?? `http://127.0.0.1:${port}`;
  let closeStore = async () => {};
  const stopAll = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeStore();
    if (!(outbox instanceof DevMailbox)) outbox.close();
  };

  try {
    const opened = await openStore(options.databaseUrl);
    closeStore = opened.closeStore;
    const { store } = opened;
    // TFA-11: the key that seals TOTP secrets. With a database it must survive restarts: set TOTP_KEY.
    const totpKey = process.env.TOTP_KEY ?? randomBytes(32).toString("base64");
    if (options.databaseUrl && process.env.TOTP_KEY === undefined) {
      console.warn(
        "TOTP_KEY is not set: a random key seals 2FA secrets, so 2FA set up now stops working after a restart. Set TOTP_KEY to 32 random bytes in base64 (openssl rand -base64 32).",
      );
    }
    const clock = new OffsetClock();
    const libraryOptions: PanelAccessOptions = {
      appUrl: url,
      twoFactor: { issuer: PRODUCT_NAME, encryptionKeys: [{ id: "example", key: totpKey }] },
      ...(options.throttle && { throttle: options.throttle }),
    };
    const panelAccess = createPanelAccess({ store, clock, mailer: outbox }, libraryOptions);
    const app: WebApp = {
      panelAccess,
      development,
      mailbox: outbox instanceof DevMailbox ? outbox : undefined,
      clock,
      secure: url.startsWith("https://"),
      supportKey,
      trustedProxies,
      pendingSetups: new Map(),
    };
    const administrator = await seed(store, clock, libraryOptions, options, development);
    const web = createWebApp(app);
    handler = (request, env) => web.fetch(request, env);
    const dispatcher = startMailDispatcher(panelAccess);
    return {
      url,
      development,
      administrator,
      supportKey,
      app,
      async close() {
        await dispatcher.stop();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Refuses a development mode that others could reach, a production mode
 * without its settings, and a `trustedProxies` that is not a small whole
 * number. Answers the support key.
 */
function checkOptions(options: ServerOptions, development: boolean): string {
  const proxies = options.trustedProxies ?? 0;
  if (!Number.isInteger(proxies) || proxies < 0 || proxies > 10) {
    throw new StartupError(
      "TRUSTED_PROXIES must be the number of proxies of your own in front of the app (0 to 10): 0 (the default) takes the client's address from the socket, N takes the N-th entry of X-Forwarded-For from the right.",
    );
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

/**
 * `smtp://user:password@host:port` (STARTTLS required; port 587 by default)
 * or `smtps://…` (TLS from the first byte; port 465 by default). With
 * `?requireTLS=false`, a server on this host may answer without STARTTLS.
 * Error messages never repeat the URL (it may hold a password).
 */
function smtpServer(smtpUrl: string): NonNullable<SmtpMailerOptions["smtp"]> {
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

async function openStore(
  databaseUrl: string | undefined,
): Promise<{ store: StoragePort; closeStore: () => Promise<void> }> {
  if (!databaseUrl) return { store: new MemoryStore(), closeStore: async () => {} };
  const pool = new pg.Pool({ connectionString: databaseUrl });
  try {
    await migrate(pgDriver(pool), { schema: "panel_access_example" });
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    store: new PostgresStore(pgDriver(pool), { schema: "panel_access_example" }),
    closeStore: () => pool.end(),
  };
}

/**
 * The first run: a panel and its administrator, registered with the given (or,
 * in development mode, a random) password. The seed runs on its own instance
 * of the library, whose mailer keeps the administrator's invitation instead of
 * sending it: the seed registers through that link.
 */
async function seed(
  store: StoragePort,
  clock: Clock,
  libraryOptions: PanelAccessOptions,
  options: ServerOptions,
  development: boolean,
) {
  const email = normaliseEmail(options.administratorEmail ?? "admin@example.test");
  const existing = await store.transact({}, (tx) => tx.findAccountByEmail(email));
  if (existing !== null) return { email, password: "(set on the first run)" };
  const password =
    options.administratorPassword ??
    (development ? randomBytes(12).toString("base64url") : undefined);
  if (password === undefined || [...password].length < 12 || [...password].length > 256) {
    throw new StartupError(
      "ADMIN_PASSWORD must be set (12 to 256 characters) on the first run outside development mode: the seeded administrator gets it.",
    );
  }
  // PWD-6: screened before anything is created, so a refused password leaves
  // no administrator without one behind (the next run would not seed again).
  const screened = await createOfflinePasswordScreen().screen(password.normalize("NFKC"), {
    email,
    productName: PRODUCT_NAME,
  });
  if (!screened.accepted) {
    throw new StartupError(
      `ADMIN_PASSWORD was refused (PWD-6: ${screened.reason}): choose one that is not common, repetitive, or built from the e-mail or the product's name.`,
    );
  }
  const links: string[] = [];
  const seeding = createPanelAccess(
    {
      store,
      clock,
      mailer: {
        send: async (message) => {
          if (message.kind === "invitation") links.push(message.link);
        },
      },
    },
    libraryOptions,
  );
  const created = await seeding.createPanel({
    actor: { type: "system" },
    name: PANEL_NAME,
    administratorEmail: email,
  });
  if (created.isErr()) {
    throw new StartupError(
      `The administrator was not seeded (${created.error.type}): check ADMIN_EMAIL.`,
    );
  }
  if (links[0] === undefined) throw new Error("seeding failed: no invitation");
  const token = new URL(links[0]).searchParams.get("token") ?? "";
  const registered = await seeding.register({ token, password });
  if (registered.isErr()) throw new Error(`seeding failed: ${registered.error.type}`);
  return { email, password };
}
