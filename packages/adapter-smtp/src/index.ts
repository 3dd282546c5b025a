/**
 * The mailer port over SMTP (nodemailer), with the message templates and an .eml folder mailer.
 *
 * @module @panel-access/adapter-smtp
 */
export { composeMessage, senderDomain } from "./compose.js";
export {
  createEmlFolderMailer,
  type EmlFolderMailer,
  type EmlFolderMailerOptions,
} from "./eml-folder-mailer.js";
export { MailConfigError, type RenderOptions, type Sender } from "./options.js";
export { renderMail, templateContext } from "./render.js";
export { createSmtpMailer, type SmtpMailer, type SmtpMailerOptions } from "./smtp-mailer.js";
export type { RenderedMail, Template, TemplateContext, Templates } from "./templates/context.js";
export { escapeHtml, html, SafeHtml, safeHref, trustedHtml } from "./templates/html.js";
export { action, layout, paragraph } from "./templates/layout.js";
export { defaultTemplates } from "./templates/messages.js";
