import { html, type SafeHtml, safeHref } from "./html.js";

/**
 * The HTML frame every message shares: a plain, single-column page with
 * inline styles (mail clients drop `<style>` and external CSS), readable
 * without images, dark text on white.
 */
export function layout(parts: {
  readonly title: string;
  readonly productName: string;
  readonly body: SafeHtml;
  readonly footer: string;
}): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${parts.title}</title>
</head>
<body style="margin:0;padding:0;background:#f3f4f6;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#111827;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6;padding:24px 0;">
<tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="max-width:560px;width:100%;background:#ffffff;border-radius:8px;border:1px solid #e5e7eb;">
<tr><td style="padding:20px 32px;border-bottom:1px solid #e5e7eb;font-size:15px;font-weight:600;color:#374151;">${parts.productName}</td></tr>
<tr><td style="padding:28px 32px 8px;">
<h1 style="margin:0 0 16px;font-size:20px;line-height:28px;color:#111827;">${parts.title}</h1>
${parts.body}
</td></tr>
<tr><td style="padding:16px 32px 24px;font-size:12px;line-height:18px;color:#6b7280;border-top:1px solid #e5e7eb;">${parts.footer}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

/** A paragraph of escaped text. */
export const paragraph = (text: string | SafeHtml): SafeHtml =>
  html`<p style="margin:0 0 16px;font-size:15px;line-height:24px;">${text}</p>`;

/** A button for the message's one action, with the bare link below it for clients that hide buttons. */
export function action(label: string, url: string): SafeHtml {
  const href = safeHref(url);
  return html`<table role="presentation" cellpadding="0" cellspacing="0" style="margin:8px 0 16px;"><tr><td style="border-radius:6px;background:#1d4ed8;">
<a href="${href}" style="display:inline-block;padding:12px 20px;font-size:15px;font-weight:600;color:#ffffff;text-decoration:none;">${label}</a>
</td></tr></table>
<p style="margin:0 0 16px;font-size:13px;line-height:20px;color:#4b5563;">Or paste this link into your browser:<br><a href="${href}" style="color:#1d4ed8;word-break:break-all;">${href}</a></p>`;
}
