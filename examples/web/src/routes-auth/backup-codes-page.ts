import { html, page } from "../view.js";
import type { WebApp } from "../web-context.js";

/** TFA-2: the backup codes, shown once, with copy and download. */
export function backupCodesPage(app: WebApp, csrf: string, codes: readonly string[]) {
  const text = `Backup codes (each works once):\n${codes.join("\n")}\n`;
  return page({
    title: "Save your backup codes",
    csrf,
    development: app.development,
    body: html`<div class="card">
  <p>Each code signs you in once if you lose your phone. They are shown only now.</p>
  <ol class="codes" id="backup-codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ol>
  <p>
    <button type="button" data-copy-text="${text}">Copy</button>
    <a class="button" download="backup-codes.txt" href="data:text/plain;charset=utf-8,${encodeURIComponent(text)}">Download</a>
    <a class="button primary" href="/">I saved them: continue</a>
  </p>
</div>`,
  });
}
