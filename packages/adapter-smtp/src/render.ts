import type { MailIntent, MailKind } from "@panel-access/core";
import { DateTime } from "luxon";
import type { ResolvedRenderOptions } from "./options.js";
import type { RenderedMail, Template, TemplateContext } from "./templates/context.js";
import { defaultTemplates } from "./templates/messages.js";

/** The context the templates get, from the resolved options. */
export function templateContext(options: ResolvedRenderOptions): TemplateContext {
  const luxon = (instant: DateTime) =>
    instant
      .setZone(options.timeZone)
      .setLocale(options.locale)
      .toLocaleString(DateTime.DATETIME_FULL);
  const fast = fastFormat(options);
  return {
    productName: options.productName,
    supportContact: options.supportContact,
    formatInstant: (instant) => (fast !== null && instant.isValid ? fast(instant) : luxon(instant)),
  };
}

/**
 * What luxon's `toLocaleString(DATETIME_FULL)` does for a named (IANA) zone
 * or UTC, with its `Intl.DateTimeFormat` built once per options instead of
 * once per message: for a named zone, `format`; for UTC (a fixed zone to
 * luxon), `formatToParts` with luxon's own zone name. `null` for any other
 * fixed offset, which goes through luxon.
 */
function fastFormat(options: ResolvedRenderOptions): ((instant: DateTime) => string) | null {
  const sample = DateTime.utc().setZone(options.timeZone).setLocale(options.locale);
  const { zone } = sample;
  if (!zone.isValid) return null;
  const { locale } = sample.resolvedLocaleOptions();
  if (zone.type === "iana") {
    const format = new Intl.DateTimeFormat(locale, {
      ...DateTime.DATETIME_FULL,
      timeZone: zone.name,
    });
    return (instant) => format.format(instant.toJSDate());
  }
  if (zone.type !== "fixed" || zone.offset(0) !== 0) return null;
  const format = new Intl.DateTimeFormat(locale, { ...DateTime.DATETIME_FULL, timeZone: "UTC" });
  return (instant) =>
    format
      .formatToParts(instant.toJSDate())
      .map((part) =>
        part.type === "timeZoneName"
          ? zone.offsetName(instant.toMillis(), { locale, format: "short" })
          : part.value,
      )
      .join("");
}

/** Each resolved options' template context, made once. */
const contexts = new WeakMap<ResolvedRenderOptions, TemplateContext>();

/** MAIL-1: the subject, text and HTML of a message, from the host's template or the built-in one. */
export function renderMail(message: MailIntent, options: ResolvedRenderOptions): RenderedMail {
  const template = (options.templates[message.kind] ??
    defaultTemplates[message.kind]) as Template<MailKind>;
  let context = contexts.get(options);
  if (context === undefined) {
    context = templateContext(options);
    contexts.set(options, context);
  }
  return template(message as never, context);
}
