import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmlFolderMailer, createSmtpMailer } from "@panel-access/adapter-smtp";
import type { Mailer } from "@panel-access/core";

const RENDERING = {
  from: "Acme Access <no-reply@acme.test>",
  productName: "Acme Access",
  supportContact: "support@acme.test",
  timeZone: "Europe/Berlin",
} as const;

/** Where the demo's mail goes, and what to say about it at the end. */
export interface DemoMail {
  readonly mailer: Mailer;
  readonly describe: () => string;
  readonly close: () => void;
}

/**
 * By default every message is rendered as real e-mail and written as an
 * `.eml` file to a temporary folder. With `PANEL_ACCESS_DEMO_SMTP=host:port`
 * it goes to that SMTP server instead (plain SMTP: a local catcher or a test
 * server only).
 */
export async function openDemoMail(env: NodeJS.ProcessEnv): Promise<DemoMail> {
  const smtp = env.PANEL_ACCESS_DEMO_SMTP;
  if (smtp) {
    const [host = "127.0.0.1", port = "25"] = smtp.split(":");
    const mailer = createSmtpMailer({
      ...RENDERING,
      smtp: { host, port: Number(port), requireTLS: false },
    });
    return {
      mailer,
      describe: () => `Messages sent to the SMTP server at ${smtp}.`,
      close: () => mailer.close(),
    };
  }
  const folder = await mkdtemp(join(tmpdir(), "panel-access-demo-mail-"));
  const mailer = createEmlFolderMailer({ ...RENDERING, folder });
  return {
    mailer,
    describe: () =>
      `${mailer.files.length} messages written as .eml files (open them in any mail client) to ${folder}`,
    close: () => {},
  };
}
