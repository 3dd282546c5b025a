import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { MailEnvelope, Mailer, MailIntent } from "@panel-access/core";
import nodemailer from "nodemailer";
import { z } from "zod";
import { composeMessage } from "./compose.js";
import { parseOptions, renderOptionsSchema } from "./options.js";

export const emlFolderMailerSchema = renderOptionsSchema.extend({
  /** The folder the `.eml` files go to; created if missing. */
  folder: z.string().min(1),
});
/** Options of `createEmlFolderMailer`: the rendering options and the folder. */
export type EmlFolderMailerOptions = z.input<typeof emlFolderMailerSchema>;

/** A mailer for development that writes each message as a file, and what it wrote. */
export interface EmlFolderMailer extends Mailer {
  readonly folder: string;
  /** The files written so far, in order. */
  readonly files: readonly string[];
}

/**
 * For development and demos: renders each message exactly as SMTP would
 * send it (nodemailer's stream transport builds the same MIME message) and
 * writes it to `<folder>/<n>-<kind>-<to>.eml`, which any mail client opens.
 * The files hold live links: keep the folder out of shared places.
 *
 * @throws MailConfigError for invalid options.
 */
export function createEmlFolderMailer(options: EmlFolderMailerOptions): EmlFolderMailer {
  const resolved = parseOptions(emlFolderMailerSchema, options);
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: "unix",
  });
  const files: string[] = [];
  let written = 0;
  return {
    folder: resolved.folder,
    files,
    async send(message: MailIntent, envelope: MailEnvelope): Promise<void> {
      // Numbered before any await: the outbox sends several messages at once.
      const n = ++written;
      const info = await transport.sendMail(composeMessage(message, envelope, resolved));
      await mkdir(resolved.folder, { recursive: true });
      const to = message.to.replace(/[^a-z0-9@._-]/gi, "_");
      const name = `${String(n).padStart(3, "0")}-${message.kind}-${to}.eml`;
      const path = join(resolved.folder, name);
      await writeFile(path, info.message as Buffer, { mode: 0o600 });
      files.push(path);
    },
  };
}
