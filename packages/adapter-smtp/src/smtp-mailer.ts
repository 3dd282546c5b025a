import type { MailEnvelope, Mailer, MailIntent } from "@panel-access/core";
import nodemailer, { type Transporter } from "nodemailer";
import pLimit from "p-limit";
import { z } from "zod";
import { composeMessage } from "./compose.js";
import { parseOptions, type ResolvedRenderOptions, renderOptionsSchema } from "./options.js";

const seconds = (fallback: number) => z.int().min(100).max(600_000).default(fallback);

/** Where and how to reach the SMTP server. */
export const smtpServerSchema = z.object({
  host: z.string().min(1),
  /** @default 587 (submission with STARTTLS) */
  port: z.int().min(1).max(65_535).default(587),
  /** TLS from the first byte (port 465). `false` upgrades with STARTTLS. @default false */
  secure: z.boolean().default(false),
  /**
   * Refuse to send unless the connection is upgraded with STARTTLS, so that
   * neither the credentials nor the links travel in clear. Only a server on
   * the same host (a local relay, a test server) should turn it off. @default true
   */
  requireTLS: z.boolean().default(true),
  /** @default none */
  auth: z.object({ user: z.string().min(1), pass: z.string().min(1) }).optional(),
  /** TLS settings passed to Node's `tls.connect` (e.g. `servername`, `ca`). @default verify the certificate */
  tls: z.record(z.string(), z.unknown()).optional(),
  /**
   * Milliseconds to wait for the connection, for the greeting and for each
   * reply. The outbox's `mail.claimFor` must be longer than a send can take.
   * @default { connection: 10 000, greeting: 10 000, socket: 30 000 }
   */
  timeouts: z
    .object({
      connection: seconds(10_000),
      greeting: seconds(10_000),
      socket: seconds(30_000),
    })
    .prefault({}),
  /** Keep up to this many connections open and reuse them. @default 4 (the outbox's default concurrency) */
  maxConnections: z.int().min(1).max(100).default(4),
});

export const smtpMailerSchema = renderOptionsSchema
  .extend({
    /** The SMTP server; or give `transport` instead. */
    smtp: smtpServerSchema.optional(),
    /**
     * A nodemailer transporter of the host's own (SES, a pool it manages…),
     * instead of `smtp`. At most 4 messages are handed to it at once; the
     * others wait in this adapter, where a message the outbox gives up on
     * (MAIL-4: `mail.sendTimeout`) is dropped before it is sent.
     */
    transport: z
      .custom<Transporter>(
        (value) => typeof (value as { sendMail?: unknown } | null)?.sendMail === "function",
        "a nodemailer transporter",
      )
      .optional(),
  })
  .refine(
    (o) => (o.smtp === undefined) !== (o.transport === undefined),
    "give exactly one of smtp or transport",
  );

/** Options of `createSmtpMailer`: the rendering options and the SMTP server (or a transport). */
export type SmtpMailerOptions = z.input<typeof smtpMailerSchema>;

/** A mailer over SMTP, and the connection pool it owns. */
export interface SmtpMailer extends Mailer {
  /** Checks that the server answers and accepts the credentials. Rejects otherwise. */
  verify(): Promise<void>;
  /** Closes pooled connections (at shutdown). */
  close(): void;
}

/**
 * MAIL-1, MAIL-2: the mail port over SMTP with nodemailer. Renders every
 * message kind as text and HTML and resolves once the server accepted the
 * message (250); any failure (refused, unreachable, timed out) rejects, and
 * the outbox tries again later. The `Message-ID` is the outbox id.
 *
 * @throws MailConfigError for invalid options (at start-up).
 */
export function createSmtpMailer(options: SmtpMailerOptions): SmtpMailer {
  const resolved = parseOptions(smtpMailerSchema, options);
  const transport =
    resolved.transport ?? nodemailer.createTransport(transportOptions(resolved.smtp));
  // Messages wait here, not in nodemailer's pool, for one of `maxConnections`:
  // one whose `envelope.signal` aborts while it waits is given up, never sent.
  const connections = pLimit(resolved.smtp?.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
  return {
    send(message: MailIntent, envelope: MailEnvelope): Promise<void> {
      const { signal } = envelope;
      let begun = false;
      const sending = connections(async () => {
        if (signal?.aborted) throw notBegun();
        begun = true;
        await transport.sendMail(
          composeMessage(message, envelope, resolved as ResolvedRenderOptions),
        );
      });
      if (signal === undefined) return sending;
      sending.catch(() => {}); // a message given up on rejects again when its turn comes
      const givenUp = new Promise<never>((_, reject) => {
        const giveUp = () => {
          if (!begun) reject(notBegun());
        };
        if (signal.aborted) giveUp();
        else signal.addEventListener("abort", giveUp, { once: true });
      });
      givenUp.catch(() => {});
      return Promise.race([sending, givenUp]);
    },
    async verify(): Promise<void> {
      await transport.verify();
    },
    close(): void {
      transport.close();
    },
  };
}

/** nodemailer's pool size, when the host passes its own `transport`. */
const DEFAULT_MAX_CONNECTIONS = 4;

/** MAIL-4: the message waited past `mail.sendTimeout` and was never begun: nothing was sent. */
function notBegun(): Error {
  return Object.assign(new Error("the message waited too long for a connection"), {
    code: "SEND_TIMEOUT",
  });
}

function transportOptions(smtp: z.output<typeof smtpServerSchema> | undefined) {
  if (smtp === undefined) throw new Error("unreachable: the schema requires smtp or transport");
  return {
    pool: true as const,
    maxConnections: smtp.maxConnections,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS,
    ignoreTLS: false,
    ...(smtp.auth && { auth: smtp.auth }),
    ...(smtp.tls && { tls: smtp.tls }),
    connectionTimeout: smtp.timeouts.connection,
    greetingTimeout: smtp.timeouts.greeting,
    socketTimeout: smtp.timeouts.socket,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
