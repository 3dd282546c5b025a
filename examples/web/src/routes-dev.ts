import { Hono } from "hono";
import type { DevMailbox } from "./mailbox.js";
import { html } from "./view.js";
import { kit, type WebApp } from "./web.js";

/**
 * Development mode only (see `createWebApp`): the mail viewer, a local mail
 * catcher that shows every link to whoever opens it, and the test clock.
 */
export function devRoutes(app: WebApp, mailbox: DevMailbox) {
  const r = new Hono();
  const { show } = kit(app);

  r.get("/mail", (c) =>
    show(c, {
      title: "Mail viewer",
      body: html`<p>Every message the app sent, newest first (the development outbox; outside development mode they go out over SMTP).</p>
<ul class="mail">${mailbox.messages.map(
        (m) =>
          html`<li><a href="/mail/${m.id}"><strong>${m.subject}</strong></a> to <span class="to">${m.to}</span> <small>${m.at.toISOString()}</small></li>`,
      )}</ul>`,
    }),
  );

  r.get("/mail/:id", (c) => {
    const message = mailbox.find(c.req.param("id"));
    if (message === undefined) return c.notFound();
    return show(c, {
      title: message.subject,
      body: html`<p>To <strong>${message.to}</strong> · <a href="/mail/${message.id}/html">HTML version</a></p>
<p>${message.links.map((link) => html`<a class="button mail-link" href="${link}">Open ${new URL(link).pathname}</a> `)}</p>
<pre class="mail-text">${message.text}</pre>`,
    });
  });

  // The HTML part as the SMTP adapter renders it: no script can run (CSP), inline styles allowed.
  r.get("/mail/:id/html", (c) => {
    const message = mailbox.find(c.req.param("id"));
    if (message === undefined) return c.notFound();
    c.header(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
    );
    return c.html(message.html);
  });

  // Moves the app's clock forward (the browser tests let temporary access run out).
  r.post("/__test/clock", async (c) => {
    const { advanceMs } = await c.req.json<{ advanceMs: number }>();
    return c.json({ now: app.clock.advance(Number(advanceMs)).toISO() });
  });
  return r;
}
