import { createPanelAccess, type PanelAccess } from "@panel-access/core";
import {
  createInMemoryPanelAccess,
  type InMemoryOptions,
  type InMemoryPanelAccess,
  type ScriptedAuthenticator,
  scan,
} from "@panel-access/testkit";
import { createPanelAccessHttp, type HttpOptions, type PanelAccessHttp } from "../src/index.js";

export const PUBLIC_URL = "https://app.example.test";
export const ADMIN = { email: "admin@example.test", password: "correct horse battery staple 7" };

/** The library in memory and its web layer; `fetch` goes through the handler in process. */
export interface Site extends InMemoryPanelAccess {
  readonly http: PanelAccessHttp;
  readonly panelId: string;
  /** A new browser: its own cookies, `Origin` the public URL's. */
  browser(options?: { readonly socketAddress?: string }): Browser;
}

/** An answer of the JSON API as a test reads it. */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: the tests read answers of every shape
  readonly body: Record<string, any>;
  readonly setCookies: string[];
}

/** A browser-like client of the JSON API: keeps its cookies, sends its origin. */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly headers: Record<string, string>;

  constructor(
    private readonly http: PanelAccessHttp,
    private readonly socketAddress: string | undefined,
  ) {
    this.headers = { origin: http.options.publicUrl.origin };
  }

  /** The `Cookie` header this browser sends ("" without cookies). */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** Sends a request (JSON body when `body` is given) and keeps its cookies. */
  async send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> {
    const cookie = this.cookieHeader();
    const base = this.http.options.publicUrl.origin;
    const request = new Request(`${base}${this.http.options.basePath}${path}`, {
      method,
      headers: {
        ...this.headers,
        ...(cookie !== "" && { cookie }),
        ...(body !== undefined && { "content-type": "application/json" }),
        ...headers,
      },
      ...(body !== undefined && { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const response = await this.http.handle(request, { socketAddress: this.socketAddress });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text === "" ? undefined : JSON.parse(text)) as ApiAnswer["body"],
      setCookies: response.headers.getSetCookie(),
    };
  }
}

/**
 * A site with one panel whose administrator is registered (no 2FA yet).
 */
export async function site(
  options: Partial<HttpOptions> = {},
  library: InMemoryOptions = {},
): Promise<Site> {
  const memory = createInMemoryPanelAccess(library);
  const http = createPanelAccessHttp(memory.panelAccess, { publicUrl: PUBLIC_URL, ...options });
  const created = await memory.panelAccess.createPanel({
    actor: { type: "system" },
    name: "Acme",
    administratorEmail: ADMIN.email,
  });
  if (created.isErr()) throw new Error(created.error.type);
  const token = linkToken(memory, ADMIN.email, "invitation");
  const registered = await memory.panelAccess.register({ token, password: ADMIN.password });
  if (registered.isErr()) throw new Error(registered.error.type);
  return {
    ...memory,
    http,
    panelId: created.value.panel.id,
    browser: (o = {}) => new Browser(http, o.socketAddress ?? "203.0.113.7"),
  };
}

/** The token of the latest link of one kind mailed to one address. */
export function linkToken(memory: InMemoryPanelAccess, to: string, kind: string): string {
  const message = [...memory.mailer.sent].reverse().find((m) => m.to === to && m.kind === kind);
  if (message === undefined || !("link" in message)) throw new Error(`no ${kind} mail to ${to}`);
  return new URL(message.link as string).searchParams.get("token") ?? "";
}

/** Signs a browser in through the API: password, 2FA setup with a scripted authenticator. */
export async function signIn(s: Site, browser: Browser, who = ADMIN) {
  const login = await browser.send("POST", "/login", { email: who.email, password: who.password });
  if (login.body.next === "secondFactorSetup") {
    const app = scan(login.body.setup.uri, s.clock);
    const setup = await browser.send("POST", "/login/setup", { code: app.code() });
    return { login, setup, app };
  }
  return { login, setup: undefined, app: undefined };
}

/**
 * The second login of a browser whose account has 2FA: password, then the
 * app's code one step later (TFA-10: a code is accepted once).
 */
export async function signInAgain(
  s: Site,
  browser: Browser,
  app: ScriptedAuthenticator,
  who = ADMIN,
  rememberBrowser = false,
) {
  const login = await browser.send("POST", "/login", { email: who.email, password: who.password });
  s.clock.advance({ seconds: 30 });
  const second = await browser.send("POST", "/login/second-factor", {
    code: app.code(),
    rememberBrowser,
  });
  return { login, second };
}

/** A site whose administrator is signed in (2FA set up) in `admin`. */
export async function signedInSite(
  options: Partial<HttpOptions> = {},
  library: InMemoryOptions = {},
) {
  const s = await site(options, library);
  const admin = s.browser();
  const { app, setup } = await signIn(s, admin);
  if (app === undefined || setup?.status !== 200) throw new Error("sign-in failed");
  return { s, admin, app, backupCodes: setup.body.backupCodes as string[] };
}

/**
 * Adds a person to the site's panel through the API (as `admin`), registers
 * them through their invitation link and signs them in (2FA set up) in a new browser.
 */
export async function addRegisteredMember(s: Site, admin: Browser, email: string, role: string) {
  const added = await admin.send("POST", `/panels/${s.panelId}/members`, {
    email,
    role,
    access: { type: "permanent" },
  });
  if (added.status !== 201) throw new Error(`addMember: ${added.status}`);
  const who = { email, password: "violet tangerine umbrella 93" };
  const browser = s.browser({ socketAddress: "198.51.100.20" });
  const registered = await browser.send("POST", "/register", {
    token: linkToken(s, email, "invitation"),
    password: who.password,
  });
  if (registered.status !== 201) throw new Error(`register: ${registered.status}`);
  const { app } = await signIn(s, browser, who);
  if (app === undefined) throw new Error("sign-in failed");
  return { who, browser, app, accountId: added.body.accountId as string };
}

/** A second panel, "Globex", whose administrator is `administratorEmail`; answers its id. */
export async function otherPanel(s: Site, administratorEmail: string): Promise<string> {
  const created = await s.panelAccess.createPanel({
    actor: { type: "system" },
    name: "Globex",
    administratorEmail,
  });
  if (created.isErr()) throw new Error(created.error.type);
  return created.value.panel.id;
}

export type { PanelAccess };
export { createPanelAccess };
