import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { MemoryStore } from "@panel-access/adapter-memory";
import { migrate, PostgresStore, pgDriver } from "@panel-access/adapter-postgres";
import { createPanelAccess, type StoragePort, startMailDispatcher } from "@panel-access/core";
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
  /** Lets tests move the clock (`POST /__test/clock`). Never in production. @default false */
  readonly testMode?: boolean;
  /** The public URL when served behind HTTPS (cookies become `Secure` and `__Host-`). @default the local http URL */
  readonly publicUrl?: string | undefined;
}

export interface RunningServer {
  readonly url: string;
  readonly administrator: { readonly email: string; readonly password: string };
  readonly supportKey: string;
  readonly app: WebApp;
  close(): Promise<void>;
}

const ADMIN_EMAIL = "admin@example.test";
const PANEL_NAME = "Acme Analytics";

/**
 * Starts the example: the library on memory or Postgres, the web app, and a
 * first-run seed (a panel and its administrator, whose password is printed
 * once; 2FA is set up at the first sign-in, as for anyone).
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  let handler: (request: Request) => Response | Promise<Response> = () =>
    new Response("starting", { status: 503 });
  const server = serve({
    fetch: (request) => handler(request),
    port: options.port ?? 3000,
    hostname: options.host ?? "127.0.0.1",
  });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = options.publicUrl ?? `http://127.0.0.1:${port}`;

  const { store, closeStore } = await openStore(options.databaseUrl);
  // TFA-11: the key that seals TOTP secrets. With a database it must survive restarts: set TOTP_KEY.
  const totpKey = process.env.TOTP_KEY ?? randomBytes(32).toString("base64");
  if (options.databaseUrl && process.env.TOTP_KEY === undefined) {
    console.warn(
      "TOTP_KEY is not set: a random key seals 2FA secrets, so 2FA set up now stops working after a restart. Set TOTP_KEY to 32 random bytes in base64 (openssl rand -base64 32).",
    );
  }
  const clock = new OffsetClock();
  const mailbox = new DevMailbox("Panel Access example");
  const panelAccess = createPanelAccess(
    { store, clock, mailer: mailbox },
    {
      appUrl: url,
      twoFactor: {
        issuer: "Panel Access example",
        encryptionKeys: [{ id: "example", key: totpKey }],
      },
    },
  );
  const app: WebApp = {
    panelAccess,
    mailbox,
    clock,
    secure: url.startsWith("https://"),
    testMode: options.testMode ?? false,
    supportKey: randomBytes(12).toString("base64url"),
    pendingSetups: new Map(),
  };
  const administrator = await seed(app, store);
  handler = createWebApp(app).fetch;
  const dispatcher = startMailDispatcher(panelAccess);
  return {
    url,
    administrator,
    supportKey: app.supportKey,
    app,
    async close() {
      await dispatcher.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeStore();
    },
  };
}

async function openStore(
  databaseUrl: string | undefined,
): Promise<{ store: StoragePort; closeStore: () => Promise<void> }> {
  if (!databaseUrl) return { store: new MemoryStore(), closeStore: async () => {} };
  const pool = new pg.Pool({ connectionString: databaseUrl });
  await migrate(pgDriver(pool), { schema: "panel_access_example" });
  return {
    store: new PostgresStore(pgDriver(pool), { schema: "panel_access_example" }),
    closeStore: () => pool.end(),
  };
}

/** The first run: a panel and its administrator, registered with a random password. */
async function seed(app: WebApp, store: StoragePort) {
  const password = randomBytes(12).toString("base64url");
  const existing = await store.transact({}, (tx) => tx.findAccountByEmail(ADMIN_EMAIL));
  if (existing !== null) return { email: ADMIN_EMAIL, password: "(set on the first run)" };
  const created = await app.panelAccess.createPanel({
    actor: { type: "system" },
    name: PANEL_NAME,
    administratorEmail: ADMIN_EMAIL,
  });
  if (created.isErr()) throw new Error(`seeding failed: ${created.error.type}`);
  const link = app.mailbox.messages.find((m) => m.to === ADMIN_EMAIL)?.links[0] ?? "";
  const token = new URL(link).searchParams.get("token") ?? "";
  const registered = await app.panelAccess.register({ token, password });
  if (registered.isErr()) throw new Error(`seeding failed: ${registered.error.type}`);
  return { email: ADMIN_EMAIL, password };
}
