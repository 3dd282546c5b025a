import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createSmtpMailer } from "@panel-access/adapter-smtp";
import {
  createPanelAccess,
  type PanelAccess,
  PanelAccessConfigError,
  type PanelAccessOptions,
} from "@panel-access/core";
import { createPanelAccessHttp, type PanelAccessHttp } from "@panel-access/http";
import { createWebApp } from "./app.js";
import { OffsetClock } from "./clock.js";
import { DevMailbox } from "./mailbox.js";
import { checkOptions, PRODUCT_NAME, type ServerOptions, StartupError } from "./server/options.js";
import { seed } from "./server/seed.js";
import { smtpServer } from "./server/smtp-url.js";
import { openStore } from "./server/store.js";
import type { WebApp } from "./web.js";

export { type ServerOptions, StartupError } from "./server/options.js";

export interface RunningServer {
  readonly url: string;
  readonly development: boolean;
  readonly administrator: { readonly email: string; readonly password: string };
  readonly supportKey: string;
  readonly app: WebApp;
  close(): Promise<void>;
}

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
  const stopServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const closeOwned = async () => {
    await closeStore();
    if (!(outbox instanceof DevMailbox)) outbox.close();
  };
  const stopAll = async () => {
    await stopServer();
    await closeOwned();
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
      http: webLayer(panelAccess, url, options.trustedProxies ?? [], development),
      development,
      mailbox: outbox instanceof DevMailbox ? outbox : undefined,
      clock,
      supportKey,
      activityPageSize: options.activityPageSize ?? 25,
      pendingSetups: new Map(),
    };
    const administrator = await seed(store, clock, libraryOptions, options, development);
    const web = createWebApp(app);
    handler = (request, env) => web.fetch(request, env);
    panelAccess.startMailDispatcher();
    return {
      url,
      development,
      administrator,
      supportKey,
      app,
      async close() {
        // Graceful shutdown (docs/operations.md): no new request, then the
        // library's dispatcher and the sends under way, then the store and the mailer.
        await stopServer();
        const report = await panelAccess.shutdown({ timeout: 10_000 });
        if (!report.settled) {
          console.warn(
            `shutdown: ${report.unfinished} background tasks unfinished after 10 s; their messages go again from another instance once their claim runs out`,
          );
        }
        await closeOwned();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * The web layer: cookies under the names this app always used (existing
 * sessions keep working), LCK-9's trusted proxies, and in development mode
 * the `localhost` spelling of the local URL as a trusted origin too.
 *
 * @throws StartupError for a `trustedProxies` entry that is not an address or a CIDR range.
 */
function webLayer(
  panelAccess: PanelAccess,
  publicUrl: string,
  trustedProxies: readonly string[],
  development: boolean,
): PanelAccessHttp {
  try {
    return createPanelAccessHttp(panelAccess, {
      publicUrl,
      trustedProxies,
      trustedOrigins: development ? [publicUrl.replace("//127.0.0.1:", "//localhost:")] : [],
      cookieNames: { session: "session", challenge: "challenge", browser: "browser", csrf: "csrf" },
    });
  } catch (error) {
    if (!(error instanceof PanelAccessConfigError && /trustedProxies/.test(error.message)))
      throw error;
    throw new StartupError(
      `TRUSTED_PROXIES must be proxy addresses or CIDR ranges, separated by commas (e.g. 10.0.0.1,10.1.0.0/16 or loopback): ${error.message}`,
    );
  }
}
