import { type SmtpPeer, startSmtpPeer } from "@panel-access/test-support/smtp-peer";
import { afterAll, beforeAll } from "vitest";
import { type RunningServer, startServer } from "../src/server.js";
import { PRODUCTION } from "./production.js";

/** A POST as a browser sends it: the CSRF cookie and field from a form page, from the app's origin. */
export async function postForm(
  server: RunningServer,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const form = await fetch(`${server.url}/forgot`);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
  return fetch(`${server.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: server.url,
      cookie: `csrf=${token}`,
      ...headers,
    },
    body: new URLSearchParams({ ...fields, _csrf: token }),
  });
}

/** The SMTP server the production server sends to. */
export let smtp: SmtpPeer;
/** A server outside development mode, sending mail over SMTP. */
export let production: RunningServer;
/** A server in development mode. */
export let development: RunningServer;

/** Starts the three before the calling file's tests, and stops them after. */
export function useServers(): void {
  beforeAll(async () => {
    smtp = await startSmtpPeer();
    production = await startServer({ port: 0, smtpUrl: smtp.url, ...PRODUCTION });
    development = await startServer({ port: 0, development: true });
  });
  afterAll(async () => {
    await production?.close();
    await development?.close();
    await smtp?.stop();
  });
}
