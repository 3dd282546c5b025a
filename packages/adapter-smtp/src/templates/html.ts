/** A piece of HTML that is already safe: the result of `html\`…\``, or of `trustedHtml`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  /** The markup. */
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

type Interpolation = string | number | SafeHtml | readonly Interpolation[] | null | undefined;

/**
 * A tagged template that escapes every value it inserts, except `SafeHtml`
 * (nested `html` templates). Arrays are joined; `null`/`undefined` insert nothing.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  const insert = (value: Interpolation): string => {
    if (value === null || value === undefined) return "";
    if (value instanceof SafeHtml) return value.value;
    if (Array.isArray(value)) return value.map(insert).join("");
    return escapeHtml(String(value));
  };
  return new SafeHtml(
    strings.reduce((out, s, i) => out + s + (i < values.length ? insert(values[i]) : ""), ""),
  );
}

/** Marks markup the host wrote itself as safe. Never pass anything derived from input. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * A link's `href`: only `https:` and `http:` URLs pass (a `javascript:` URL
 * in a message would be a hole), escaped for the attribute.
 */
export function safeHref(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new Error(`refusing to put a ${parsed.protocol} link in a message`);
  }
  return parsed.href;
}
