import type {
  PasswordScreen,
  PasswordScreenContext,
  ScreenVerdict,
} from "../ports/password-screen.js";

/** Options of `createOfflinePasswordScreen`. */
export interface OfflinePasswordScreenOptions {
  /**
   * More words a password may not be built from, besides the e-mail and the
   * product's name: the company's name, the product's other names. Words of
   * fewer than 3 characters are ignored. @default none
   */
  readonly contextWords?: readonly string[];
}

/**
 * PWD-6: the default password screen. It works offline and refuses a new
 * password that is
 *
 * - `contextual`: built from the account's e-mail (its local part, its
 *   domain, their pieces), the product's name or `contextWords`: once those
 *   are taken out, what is left is under 4 characters, only digits and
 *   symbols, or itself common (`alice2024!`, `Example.com`, `PanelAccess1`);
 * - `repetitive`: one run of 1 to 4 characters repeated (`aaaaaaaa`,
 *   `abcabcabc`, `12121212`);
 * - `common`: on the list of 49,233 common and breached passwords of
 *   `@zxcvbn-ts/language-common` (`passwords-common`), or a trivial variant of
 *   one: any case, spaces left out, up to 6 digits or symbols before or after
 *   it (`Password1!`, `!!dragon2024`), and leetspeak (`@`/`4` → a, `3` → e,
 *   `1`/`!` → i or l, `0` → o, `$`/`5` → s, `7`/`+` → t: `P@ssw0rd`).
 *
 * It does not estimate strength otherwise: a long passphrase of ordinary words
 * is accepted. The list is loaded on the first call, once per process (under
 * 100 ms, a few MB), never at start-up.
 */
export function createOfflinePasswordScreen(
  options: OfflinePasswordScreenOptions = {},
): PasswordScreen {
  const extra = (options.contextWords ?? []).flatMap(wordsOf);
  return {
    screen: async (password, context) => {
      const common = await commonPasswords();
      return verdictOf(fold(password), contextTokens(context, extra), common);
    },
  };
}

/**
 * PWD-6: one screen made of several, asked in order; the first refusal is the
 * answer, and later screens are not asked. A screen that throws makes the
 * whole screen throw (`PASSWORD_SCREEN_UNAVAILABLE`, fail closed).
 *
 * ```ts
 * passwordScreen: combinePasswordScreens(createOfflinePasswordScreen(), breachCorpusScreen)
 * ```
 */
export function combinePasswordScreens(...screens: readonly PasswordScreen[]): PasswordScreen {
  return {
    screen: async (password, context) => {
      for (const screen of screens) {
        const verdict = await screen.screen(password, context);
        if (!verdict.accepted) return verdict;
      }
      return ACCEPTED;
    },
  };
}

const ACCEPTED: ScreenVerdict = { accepted: true };
/** Fewer characters than this left beside the context words is "built from" them. */
const MIN_REST = 4;
/** Context words shorter than this are ignored (they would be found everywhere). */
const MIN_WORD = 3;

let loading: Promise<ReadonlySet<string>> | undefined;

/** The list, loaded on first use and kept as a lower-cased set for the life of the process. */
function commonPasswords(): Promise<ReadonlySet<string>> {
  loading ??= import("@zxcvbn-ts/language-common").then(
    ({ dictionary }) => new Set(dictionary["passwords-common"].map((p) => p.toLowerCase())),
    (cause: unknown) => {
      loading = undefined; // try again next time
      throw cause;
    },
  );
  return loading;
}

function verdictOf(
  folded: string,
  tokens: readonly string[],
  common: ReadonlySet<string>,
): ScreenVerdict {
  if (isContextual(folded, tokens, common)) return { accepted: false, reason: "contextual" };
  if (isRepetitive(folded)) return { accepted: false, reason: "repetitive" };
  if (isCommon(folded, common)) return { accepted: false, reason: "common" };
  return ACCEPTED;
}

/** Lower case without white space or invisible format characters (a soft hyphen): how passwords and words are compared. */
function fold(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\p{Z}\p{Cf}]+/gu, "");
}

/** At most this many digits or symbols before or after a listed password are a trivial variant. */
const MAX_AFFIX = 6;
const LETTER = /[\p{L}\p{M}]/u;

/**
 * `s` without up to 6 digits or symbols at its start and up to 6 at its end,
 * in every combination, where what is left still holds a letter (so a PIN is
 * only ever compared whole).
 */
function cores(s: string): string[] {
  const points = [...s];
  const found: string[] = [];
  for (let start = 0; start <= MAX_AFFIX && start < points.length; start++) {
    if (start > 0 && LETTER.test(points[start - 1] ?? "")) break;
    for (let cut = 0; cut <= MAX_AFFIX && start + cut < points.length; cut++) {
      if (cut > 0 && LETTER.test(points[points.length - cut] ?? "")) break;
      const core = points.slice(start, points.length - cut).join("");
      if ((start === 0 && cut === 0) || LETTER.test(core)) found.push(core);
    }
  }
  return found;
}

const LEET: Readonly<Record<string, string>> = {
  "@": "a",
  "4": "a",
  "3": "e",
  "!": "i",
  "0": "o",
  $: "s",
  "5": "s",
  "7": "t",
  "+": "t",
};
function unleet(s: string, one: "i" | "l"): string {
  return s.replace(/[@43!0$57+1]/g, (c) => (c === "1" ? one : (LEET[c] ?? c)));
}

/** The forms a folded password is looked up under: its cores, each also without leetspeak. */
function variants(s: string): Set<string> {
  const found = new Set<string>();
  for (const core of cores(s)) {
    found.add(core);
    found.add(unleet(core, "i"));
    found.add(unleet(core, "l"));
  }
  return found;
}

function isCommon(s: string, common: ReadonlySet<string>): boolean {
  for (const v of variants(s)) if (common.has(v)) return true;
  return false;
}

/** One run of 1 to 4 code points, repeated (the last repetition may be cut short). */
function isRepetitive(s: string): boolean {
  const points = [...s];
  for (let period = 1; period <= 4; period++) {
    if (points.length < 2 * period) break;
    if (points.every((p, i) => p === points[i % period])) return true;
  }
  return false;
}

/** The words a password may not be built from, longest first (so the whole goes before its parts). */
function contextTokens(context: PasswordScreenContext, extra: readonly string[]): string[] {
  const email = fold(context.email);
  const at = email.lastIndexOf("@");
  const local = at < 0 ? email : email.slice(0, at);
  const domain = at < 0 ? "" : email.slice(at + 1);
  // The domain's labels but its last (the top-level domain: `com`, `uk`).
  const labels = domain.split(".").slice(0, -1);
  const words = [
    email,
    domain,
    ...wordsOf(local),
    ...labels.flatMap(wordsOf),
    ...wordsOf(context.productName),
    ...extra,
  ];
  return [...new Set(words.filter((w) => [...w].length >= MIN_WORD))].sort(
    (a, b) => b.length - a.length,
  );
}

/** A word, without its separators, and its pieces (split at anything but letters and digits, and at digits). */
function wordsOf(text: string): string[] {
  const folded = fold(text);
  // Split before the white space is folded away: "Panel Access" is "panel" and "access" too.
  const spaced = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\p{Cf}+/gu, "");
  return [
    folded,
    folded.replace(/[^\p{L}\p{M}\p{N}]+/gu, ""),
    ...spaced.split(/[^\p{L}\p{M}\p{N}]+/u),
    ...spaced.split(/[^\p{L}\p{M}]+/u),
  ].filter((w) => [...w].length >= MIN_WORD);
}

function isContextual(
  folded: string,
  tokens: readonly string[],
  common: ReadonlySet<string>,
): boolean {
  for (const v of new Set([folded, unleet(folded, "i"), unleet(folded, "l")])) {
    let rest = v;
    for (const token of tokens) rest = rest.replaceAll(token, "");
    if (rest === v) continue;
    if ([...rest].length < MIN_REST || !/\p{L}/u.test(rest) || isCommon(rest, common)) return true;
  }
  return false;
}
