import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** One message the SMTP server accepted. */
interface Delivered {
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  readonly raw: string;
}

/** A real SMTP server (`smtp-server`) on 127.0.0.1 and a free port; `next()` waits for a message. */
export async function startSmtp() {
  const arrived: Delivered[] = [];
  const waiting: ((message: Delivered) => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    hideSTARTTLS: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const message = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        };
        const waiter = waiting.shift();
        if (waiter) waiter(message);
        else arrived.push(message);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}?requireTLS=false`,
    next: (): Promise<Delivered> => {
      const message = arrived.shift();
      return message ? Promise.resolve(message) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a server outside development mode needs besides `smtpUrl`. */
export const PRODUCTION = {
  administratorEmail: "Owner@Example.test",
  mailFrom: "Example <no-reply@example.test>",
  administratorPassword: "a long administrator passphrase",
  supportKey: "a support key of some length",
};
