import { err, ok, type Result } from "neverthrow";

/**
 * The environment variables the commands read. Each command reads only the
 * ones it needs (docs/cli.md, "Environment"); none is ever printed back, and
 * a problem names the variable and what was expected, never its value.
 */
export const VARIABLES = {
  databaseUrl: "DATABASE_URL",
  schema: "PANEL_ACCESS_SCHEMA",
  encryptionKeys: "PANEL_ACCESS_ENCRYPTION_KEYS",
  auditRetentionDays: "PANEL_ACCESS_AUDIT_RETENTION_DAYS",
  mailFrom: "PANEL_ACCESS_MAIL_FROM",
  productName: "PANEL_ACCESS_PRODUCT_NAME",
  supportContact: "PANEL_ACCESS_SUPPORT_CONTACT",
  timeZone: "PANEL_ACCESS_TIME_ZONE",
  locale: "PANEL_ACCESS_LOCALE",
  smtpHost: "PANEL_ACCESS_SMTP_HOST",
  smtpPort: "PANEL_ACCESS_SMTP_PORT",
  smtpSecure: "PANEL_ACCESS_SMTP_SECURE",
  smtpRequireTls: "PANEL_ACCESS_SMTP_REQUIRE_TLS",
  smtpUser: "PANEL_ACCESS_SMTP_USER",
  smtpPassword: "PANEL_ACCESS_SMTP_PASSWORD",
} as const;

/** What the commands read the environment from. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** One variable missing or invalid: its name and what was expected (never its value). */
export interface ConfigProblem {
  readonly variable: string;
  readonly expected: string;
}

/** A reading of the environment: the value, or every problem found. */
export type Reading<T> = Result<T, readonly ConfigProblem[]>;

/** The schema name `migrate` and the store use when none is set. */
export const DEFAULT_SCHEMA = "panel_access";

/** How the database is reached, and where it is, said without credentials. */
export interface DatabaseConfig {
  /** The connection URL, credentials included: handed to `pg` only, never printed. */
  readonly url: string;
  /** The schema of the library's tables. */
  readonly schema: string;
  /**
   * `host:port/database`, for messages: no user, no password, no parameters;
   * `(the database in DATABASE_URL)` when the URL's shape could put a
   * credential there.
   */
  readonly where: string;
}

/** A TOTP and mail sealing key (TFA-11), as `twoFactor.encryptionKeys` takes it. */
export interface KeyConfig {
  readonly id: string;
  readonly key: Uint8Array<ArrayBuffer>;
}

/** What `dispatch` needs of the SMTP adapter: `createSmtpMailer`'s options. */
export interface MailConfig {
  readonly from: string;
  readonly productName?: string;
  readonly supportContact?: string;
  readonly timeZone?: string;
  readonly locale?: string;
  readonly smtp: {
    readonly host: string;
    readonly port: number;
    readonly secure: boolean;
    readonly requireTLS: boolean;
    readonly auth?: { readonly user: string; readonly pass: string };
  };
}

const problem = (variable: string, expected: string): Reading<never> =>
  err([{ variable, expected }]);

/** A variable's value, `undefined` when unset or blank. */
function variableValue(env: Environment, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** Every reading's value, or every problem of all of them. */
export function all<T extends readonly Reading<unknown>[]>(
  ...readings: T
): Reading<{ [K in keyof T]: T[K] extends Reading<infer V> ? V : never }> {
  const problems = readings.flatMap((reading) => (reading.isErr() ? reading.error : []));
  if (problems.length > 0) return err(problems);
  return ok(
    readings.map((reading) => reading._unsafeUnwrap()) as {
      [K in keyof T]: T[K] extends Reading<infer V> ? V : never;
    },
  );
}

/** `PANEL_ACCESS_SCHEMA`: a plain identifier, as `migrate` takes it. @default "panel_access" */
export function readSchema(env: Environment): Reading<string> {
  const schema = variableValue(env, VARIABLES.schema) ?? DEFAULT_SCHEMA;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    return problem(
      VARIABLES.schema,
      "a schema name of 1 to 63 characters [a-z0-9_], not starting with a digit (default panel_access)",
    );
  }
  return ok(schema);
}

/** `DATABASE_URL` (required) and `PANEL_ACCESS_SCHEMA`. */
export function readDatabase(env: Environment): Reading<DatabaseConfig> {
  const url = variableValue(env, VARIABLES.databaseUrl);
  const parsed = url === undefined ? undefined : parseUrl(url);
  const database: Reading<{ url: string; where: string }> =
    url === undefined
      ? problem(
          VARIABLES.databaseUrl,
          "required: the PostgreSQL connection URL, e.g. postgres://user:password@host:5432/database",
        )
      : parsed === null || parsed === undefined || !/^postgres(ql)?:$/.test(parsed.protocol)
        ? problem(
            VARIABLES.databaseUrl,
            "a postgres:// or postgresql:// URL, e.g. postgres://user:password@host:5432/database",
          )
        : ok({ url, where: whereOf(parsed) });
  return all(database, readSchema(env)).map(([{ url, where }, schema]) => ({
    url,
    where,
    schema,
  }));
}

/** The URL, or `null` when it is not one. */
function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** A database name printed as it is: the path holds nothing else (no `@`, `:` or second `/`). */
const PRINTABLE_DATABASE = /^\/[A-Za-z0-9_.-]{1,63}$/;
/** A host name (letters, digits, `-`, `.`, `_`) or an IPv6 literal in brackets; IPv4 is a host name's shape. */
const PRINTABLE_HOST = /^(?:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\])$/;

/** What messages say of a connection URL whose parts could hold a credential. */
const SOME_DATABASE = "(the database in DATABASE_URL)";

/**
 * `host:port/database` of a connection URL: what messages may show of it.
 * A part is shown only when its shape leaves no room for a credential. A
 * password with an unencoded `/` (`postgres://user:1234/secret@host/db`)
 * makes the URL parse as host `user`, port `1234` and a path holding the
 * rest, so unless the path is a plain database name
 * (`^/[A-Za-z0-9_.-]{1,63}$`) nothing of the URL is shown; the host is
 * shown only when it is a host name or an IP literal.
 */
function whereOf(url: URL): string {
  if (!PRINTABLE_DATABASE.test(url.pathname)) return SOME_DATABASE;
  const host =
    url.hostname === ""
      ? "(local socket)"
      : PRINTABLE_HOST.test(url.hostname)
        ? url.hostname
        : "(the host in DATABASE_URL)";
  return `${host}:${url.port === "" ? "5432" : url.port}${url.pathname}`;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * `PANEL_ACCESS_ENCRYPTION_KEYS` (required): the application's
 * `twoFactor.encryptionKeys`, as `id:base64` entries separated by commas,
 * the newest first, e.g. `2026-12:…,2026-06:…`. Each key is 32 bytes (44
 * base64 characters). The outbox's messages are sealed with them.
 */
export function readEncryptionKeys(env: Environment): Reading<KeyConfig[]> {
  const variable = VARIABLES.encryptionKeys;
  const value = variableValue(env, variable);
  const shape =
    "id:base64 entries separated by commas, newest first (the app's twoFactor.encryptionKeys)";
  if (value === undefined) return problem(variable, `required: ${shape}`);
  const keys: KeyConfig[] = [];
  const entries = value.split(",").map((entry) => entry.trim());
  for (const [index, entry] of entries.entries()) {
    const where = `entry ${index + 1}`;
    const colon = entry.indexOf(":");
    const id = entry.slice(0, colon);
    const encoded = entry.slice(colon + 1).trim();
    if (colon < 1 || !KEY_ID.test(id)) {
      return problem(variable, `${where}: an id of 1 to 32 [A-Za-z0-9_-], then ':' (${shape})`);
    }
    const key = new Uint8Array(Buffer.from(encoded, "base64"));
    if (!BASE64.test(encoded) || key.length !== 32) {
      return problem(variable, `${where} (${id}): a 32-byte AES-256 key in base64 (44 characters)`);
    }
    if (keys.some((known) => known.id === id)) {
      return problem(variable, `${where} (${id}): key ids must be unique`);
    }
    keys.push({ id, key });
  }
  return ok(keys);
}

/**
 * `PANEL_ACCESS_AUDIT_RETENTION_DAYS` (required): the application's
 * `audit.keepFor`, in days, for `cleanup` (AUD-2). No default: a cleanup
 * that guessed would delete the trail of an application that keeps it
 * longer.
 */
export function readAuditRetentionDays(env: Environment): Reading<number> {
  const value = variableValue(env, VARIABLES.auditRetentionDays);
  if (value === undefined) {
    return problem(
      VARIABLES.auditRetentionDays,
      "required: a whole number of days, at least 1, that must match the app's audit.keepFor (older audit events are deleted)",
    );
  }
  const days = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(days) || days < 1) {
    return problem(
      VARIABLES.auditRetentionDays,
      "a whole number of days, at least 1, that must match the app's audit.keepFor",
    );
  }
  return ok(days);
}

/** A `true`/`false` variable, `fallback` when unset. */
function readFlag(env: Environment, variable: string, fallback: boolean): Reading<boolean> {
  const value = variableValue(env, variable)?.toLowerCase();
  if (value === undefined) return ok(fallback);
  if (value === "true" || value === "false") return ok(value === "true");
  return problem(variable, `true or false (default ${fallback})`);
}

/** An optional text variable, as it is (trimmed). */
const optional = (env: Environment, variable: string): Reading<string | undefined> =>
  ok(variableValue(env, variable));

/**
 * What `dispatch` needs to send: `PANEL_ACCESS_MAIL_FROM` and
 * `PANEL_ACCESS_SMTP_HOST` (required); `PANEL_ACCESS_SMTP_PORT` (default
 * 587), `PANEL_ACCESS_SMTP_SECURE` (default false: STARTTLS),
 * `PANEL_ACCESS_SMTP_REQUIRE_TLS` (default true), `PANEL_ACCESS_SMTP_USER`
 * and `PANEL_ACCESS_SMTP_PASSWORD` (both or neither); how messages look:
 * `PANEL_ACCESS_PRODUCT_NAME`, `PANEL_ACCESS_SUPPORT_CONTACT`,
 * `PANEL_ACCESS_TIME_ZONE`, `PANEL_ACCESS_LOCALE` (the SMTP adapter's
 * defaults when unset). The adapter checks the values themselves.
 */
export function readMail(env: Environment): Reading<MailConfig> {
  const from = variableValue(env, VARIABLES.mailFrom);
  const host = variableValue(env, VARIABLES.smtpHost);
  const portText = variableValue(env, VARIABLES.smtpPort);
  const port = Number(portText ?? "587");
  const user = variableValue(env, VARIABLES.smtpUser);
  const pass = env[VARIABLES.smtpPassword];
  const auth: Reading<MailConfig["smtp"]["auth"]> =
    user === undefined && (pass === undefined || pass === "")
      ? ok(undefined)
      : user === undefined || pass === undefined || pass === ""
        ? problem(
            user === undefined ? VARIABLES.smtpUser : VARIABLES.smtpPassword,
            `set both ${VARIABLES.smtpUser} and ${VARIABLES.smtpPassword}, or neither`,
          )
        : ok({ user, pass });
  return all(
    from === undefined
      ? problem(VARIABLES.mailFrom, "required: the sender, e.g. Acme <no-reply@acme.example>")
      : ok(from),
    host === undefined
      ? problem(VARIABLES.smtpHost, "required: the SMTP server's host name")
      : ok(host),
    portText !== undefined && !(/^\d+$/.test(portText) && port >= 1 && port <= 65_535)
      ? problem(VARIABLES.smtpPort, "a port number from 1 to 65535 (default 587)")
      : ok(port),
    readFlag(env, VARIABLES.smtpSecure, false),
    readFlag(env, VARIABLES.smtpRequireTls, true),
    auth,
    optional(env, VARIABLES.productName),
    optional(env, VARIABLES.supportContact),
    optional(env, VARIABLES.timeZone),
    optional(env, VARIABLES.locale),
  ).map(
    ([
      from,
      host,
      port,
      secure,
      requireTLS,
      auth,
      productName,
      supportContact,
      timeZone,
      locale,
    ]) => ({
      from,
      ...(productName !== undefined && { productName }),
      ...(supportContact !== undefined && { supportContact }),
      ...(timeZone !== undefined && { timeZone }),
      ...(locale !== undefined && { locale }),
      smtp: { host, port, secure, requireTLS, ...(auth !== undefined && { auth }) },
    }),
  );
}

/** The problems as lines for standard error: each names its variable and what was expected. */
export function describeProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `configuration: ${p.variable}: ${p.expected}`).join("\n");
}
