import type { MailIntent, MailKind } from "@panel-access/core";
import type { DateTime } from "luxon";

/** A rendered message: subject and both bodies (MAIL-1). */
export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** What every template may use besides the message itself. */
export interface TemplateContext {
  /** The product's name, as the host configured it. */
  readonly productName: string;
  /** How people reach the support team (an address, a URL, or words). */
  readonly supportContact: string;
  /** An instant as people read it: in the host's time zone and locale, with the zone named. */
  readonly formatInstant: (instant: DateTime) => string;
}

/** One message kind's template. */
export type Template<K extends MailKind> = (
  message: Extract<MailIntent, { kind: K }>,
  context: TemplateContext,
) => RenderedMail;

/** A template for every message kind. */
export type Templates = { readonly [K in MailKind]: Template<K> };
