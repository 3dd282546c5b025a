import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** One message the server accepted. */
export interface Received {
  /** The user who authenticated, if anyone did. */
  readonly user: string | null;
  /** Whether the connection was encrypted (STARTTLS). */
  readonly secure: boolean;
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  readonly raw: string;
  readonly parsed: ParsedMail;
}

/**
 * How the server treats the next transaction:
 * - `accept`: 250, the message is kept;
 * - `refuse`: 451 for MAIL FROM (a temporary refusal, "try later"), or 550 with `refuse550`;
 * - `hang`: never answers MAIL FROM (a stuck server: the client's timeout fires).
 */
export type PeerMode = "accept" | "refuse" | "refuse550" | "hang";

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 and a random
 * port, in the test process: what the adapter sends crosses a real socket
 * and a real SMTP dialogue, and is parsed back with `mailparser`.
 */
export class SmtpPeer {
  readonly received: Received[] = [];
  mode: PeerMode = "accept";
  /** MAIL FROM commands seen, whatever the answer. */
  attempts = 0;
  #server: SMTPServer | null = null;
  #port = 0;
  readonly #hanging: ((error?: Error | null) => void)[] = [];
  #silent = false;
  /** Connections accepted while silent, waiting for their greeting. */
  readonly #held: ((error?: Error | null) => void)[] = [];
  readonly #waitingForHeld: (() => void)[] = [];
  /** How many of `received` `next()` has answered. */
  #taken = 0;
  readonly #waiting: ((message: Received) => void)[] = [];

  get port(): number {
    return this.#port;
  }

  /** An `smtp://` URL of this server, without TLS. */
  get url(): string {
    return `smtp://127.0.0.1:${this.#port}?requireTLS=false`;
  }

  /** The oldest message `next()` has not answered yet; waits for one if none is left. */
  next(): Promise<Received> {
    const message = this.received[this.#taken];
    if (message === undefined) return new Promise((resolve) => this.#waiting.push(resolve));
    this.#taken += 1;
    return Promise.resolve(message);
  }

  /** Starts listening: on a random port the first time, on the same port after `stop()`. */
  async start(
    options: { secureUpgrade?: boolean; credentials?: { user: string; pass: string } } = {},
  ): Promise<void> {
    const { credentials } = options;
    const server = new SMTPServer({
      authOptional: credentials === undefined,
      authMethods: ["PLAIN", "LOGIN"],
      onAuth: (auth, _session, callback) => {
        if (auth.username === credentials?.user && auth.password === credentials?.pass)
          callback(null, { user: auth.username });
        else callback(Object.assign(new Error("Invalid credentials"), { responseCode: 535 }));
      },
      hideSTARTTLS: !options.secureUpgrade,
      closeTimeout: 50,
      logger: false,
      onConnect: (_session, callback) => {
        if (!this.#silent) return callback();
        this.#held.push(callback);
        for (const waiter of this.#waitingForHeld.splice(0)) waiter();
      },
      onMailFrom: (_address, _session, callback) => {
        this.attempts += 1;
        if (this.mode === "hang") this.#hanging.push(callback);
        else if (this.mode === "refuse")
          callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
        else if (this.mode === "refuse550")
          callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 }));
        else callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          simpleParser(raw).then(
            (parsed) => {
              this.#keep({
                user: typeof session.user === "string" ? session.user : null,
                secure: session.secure,
                mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
                rcptTo: session.envelope.rcptTo.map((r) => r.address),
                raw,
                parsed,
              });
              callback(); // 250 only once the message is kept
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#port, "127.0.0.1", () => resolve());
    });
    this.#port = (server.server.address() as AddressInfo).port;
    this.#server = server;
  }

  /**
   * From now on the server accepts connections and says nothing, not even
   * its greeting, until `speak()`: a mail server that hangs before its first
   * word (the client waits for its greeting timeout). Connections already
   * open go on as before.
   */
  silence(): void {
    this.#silent = true;
  }

  /** Ends `silence()`: each connection held greets and goes on normally. */
  speak(): void {
    this.#silent = false;
    for (const callback of this.#held.splice(0)) callback();
  }

  /** Resolves once a connection is held in silence (a client is waiting for the greeting). */
  holding(): Promise<void> {
    if (this.#held.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.#waitingForHeld.push(resolve));
  }

  /** Stops listening and drops every connection: new connections are refused. */
  async stop(): Promise<void> {
    this.#silent = false;
    for (const callback of [...this.#hanging.splice(0), ...this.#held.splice(0)])
      callback(new Error("shutting down"));
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Keeps a message, and hands it to the oldest waiting `next()`, if any. */
  #keep(message: Received): void {
    this.received.push(message);
    const waiter = this.#waiting.shift();
    if (waiter === undefined) return;
    this.#taken += 1;
    waiter(message);
  }

  /** The messages received for one address. */
  to(address: string): Received[] {
    return this.received.filter((r) => r.rcptTo.includes(address));
  }
}

/** A started peer. */
export async function startSmtpPeer(): Promise<SmtpPeer> {
  const peer = new SmtpPeer();
  await peer.start();
  return peer;
}
