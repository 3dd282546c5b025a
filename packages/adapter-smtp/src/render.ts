import type { MailIntent, MailKind } from "@panel-access/core";
import { DateTime } from "luxon";
import type { ResolvedRenderOptions } from "./options.js";
import type { RenderedMail, Template, TemplateContext } from "./templates/context.js";
import { defaultTemplates } from "./templates/messages.js";

/** The context the templates get, from the resolved options. */
export function templateContext(options: ResolvedRenderOptions): TemplateContext {
  return {
    productName: options.productName,
    supportContact: options.supportContact,
    formatInstant: (instant) =>
      instant
        .setZone(options.timeZone)
        .setLocale(options.locale)
        .toLocaleString(DateTime.DATETIME_FULL),
  };
}

/** MAIL-1: the subject, text and HTML of a message, from the host's template or the built-in one. */
export function renderMail(message: MailIntent, options: ResolvedRenderOptions): RenderedMail {
  const template = (options.templates[message.kind] ??
    defaultTemplates[message.kind]) as Template<MailKind>;
  return template(message as never, templateContext(options));
}
