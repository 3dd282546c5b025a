import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { MemoryStore } from "@panel-access/adapter-memory";
import type { PanelAccess, PanelAccessPorts } from "@panel-access/core";
import { createPanelAccess } from "@panel-access/core";
import { createPanelAccessHttp } from "@panel-access/http";
import { type PanelAccessVariables, panelAccessHono } from "@panel-access/http/hono";
import { Hono } from "hono";

export interface AppOptions {
  /** Where browsers reach the app: its origin is trusted (CSRF), links in mail start with it. */
  readonly publicUrl: string;
  /** Ports to replace (a clock, a mailer), e.g. in tests. */
  readonly ports?: Partial<PanelAccessPorts>;
  /** Where `start` listens, on 127.0.0.1 (0: a free port). @default 3001 */
  readonly port?: number;
}
export type App = { app: Hono<{ Variables: PanelAccessVariables }>; library: PanelAccess };
export type Running = App & { url: string; close: () => ReturnType<PanelAccess["shutdown"]> };

/** The demo's mailer: no SMTP, each message (with its link) goes to the log. */
const logMailer: PanelAccessPorts["mailer"] = {
  send: async (m) => console.log(`[mail] ${m.kind} to ${m.to}`, "link" in m ? m.link : ""),
};

/** The library on the in-memory store, its whole JSON API under /api/auth, and two routes of our own. */
export function createApp({ publicUrl, ports }: AppOptions): App {
  const key = randomBytes(32); // TFA-11: seals TOTP secrets; lives in memory, like the store
  const library = createPanelAccess(
    { store: new MemoryStore(), mailer: logMailer, ...ports },
    { appUrl: publicUrl, twoFactor: { encryptionKeys: [{ id: "demo", key }] } },
  );
  const auth = panelAccessHono(createPanelAccessHttp(library, { publicUrl }));
  const app = new Hono<{ Variables: PanelAccessVariables }>();
  app.all("/api/auth/*", auth.handler);
  app.get("/api/me", auth.requireSession(), (c) => {
    const { email, panels } = c.var.session;
    return c.json({ email, panels: panels.map(({ panel, role }) => ({ id: panel.id, role })) });
  });
  const inPanel = auth.requirePanel((c) => c.req.param("panelId")); // PNL-7: 403 otherwise
  app.get("/api/panels/:panelId/hello", inPanel, (c) => c.json({ hello: c.var.session.email }));
  return { app, library };
}

/** Serves the app on 127.0.0.1; `publicUrl` defaults to the address served. */
export async function start(settings: Partial<AppOptions> = {}): Promise<Running> {
  const server = createServer().listen(settings.port ?? 3001, "127.0.0.1");
  await once(server, "listening"); // first, so that the default publicUrl knows the port
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const { app, library } = createApp({ ...settings, publicUrl: settings.publicUrl ?? url });
  server.on("request", getRequestListener(app.fetch)); // @hono/node-server's adapter
  library.startMailDispatcher(); // MAIL-2: retries the sends that failed
  const close = () => {
    server.close(); // graceful shutdown (docs/operations.md): no new requests, then the library's work
    return library.shutdown();
  };
  return { url, app, library, close };
}
