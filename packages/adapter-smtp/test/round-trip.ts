import type { MailIntent } from "@panel-access/core";
import { type SmtpPeer, startSmtpPeer } from "@panel-access/test-support/smtp-peer";
import { afterAll, beforeAll, expect } from "vitest";
import { createSmtpMailer, type SmtpMailerOptions } from "../src/index.js";

/** The SMTP server of the test file that calls `useSmtpPeer`. */
export let peer: SmtpPeer;

/** Starts the SMTP server before the calling file's tests, and stops it after them. */
export function useSmtpPeer(): void {
  beforeAll(async () => {
    peer = await startSmtpPeer();
  });
  afterAll(() => peer.stop());
}

/** A mailer for the local test server (no TLS on loopback). */
export function mailerFor(options: Partial<SmtpMailerOptions> = {}) {
  return createSmtpMailer({
    from: "Acme Access <no-reply@acme.example>",
    productName: "Acme Access",
    supportContact: "support@acme.example",
    smtp: { host: "127.0.0.1", port: peer.port, requireTLS: false },
    ...options,
  });
}

let counter = 0;
/** Sends one message and answers what the server received for it. */
export async function roundTrip(message: MailIntent, options: Partial<SmtpMailerOptions> = {}) {
  const mailer = mailerFor(options);
  const messageId = `msg${++counter}`;
  try {
    await mailer.send(message, { messageId, attempt: 1 });
  } finally {
    mailer.close();
  }
  const received = peer.received.filter(
    (r) => r.parsed.messageId === `<${messageId}@acme.example>`,
  );
  const [only, ...others] = received;
  expect(others).toEqual([]);
  if (only === undefined) throw new Error(`the server received no message ${messageId}`);
  return only;
}

/** The URLs a rendered part holds (text, or the `href`s of the HTML). */
export function urlsIn(part: string): string[] {
  return [...part.matchAll(/https?:\/\/[^\s"<>]+/g)].map((match) => match[0]);
}
