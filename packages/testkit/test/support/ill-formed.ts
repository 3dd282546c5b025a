import fc from "fast-check";

/** `pnpm verify:deep` multiplies every property's runs by this. */
export const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? 1);
/** INP-1 v2: ill-formed inputs per entry point (each spoils one text field of a valid input). */
export const ILL_FORMED_RUNS = 300 * FUZZ_SCALE;

/**
 * INP-1 v2: a UTF-16 unit that makes text ill-formed: NUL, or a surrogate
 * (alone, since `spoiled` inserts one unit where no pair can form with it).
 */
export const illFormedUnit = fc.oneof(
  fc.constantFrom("\u0000", "\uD800", "\uDBFF", "\uDC00", "\uDFFF"),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
);

/** The test's own check (not the core's): NUL, or a surrogate that is not half of a pair. */
export function isIllFormed(text: string): boolean {
  return text.includes("\u0000") || /\p{Cs}/u.test(text);
}

/** `text` with one ill-formed unit at `at` (mod its length + 1): start, end, or inside a pair. */
export function spoil(text: string, at: number, unit: string): string {
  const i = at % (text.length + 1);
  return text.slice(0, i) + unit + text.slice(i);
}

/**
 * Strings from `text` with one ill-formed unit inserted anywhere. Always
 * ill-formed: inserted inside a surrogate pair it leaves one half alone.
 */
export function spoiled(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(text, fc.nat(), illFormedUnit).map(([good, at, unit]) => spoil(good, at, unit));
}

/**
 * PWD-1 v2: pieces of text with two forms NFKC makes the same: fullwidth
 * letters and digits, ligatures, superscripts, Roman numerals, squared and
 * circled forms, the Angstrom sign, a decomposed accent, halfwidth katakana
 * (with a separate voicing mark), the micro sign, the long s, no-break and
 * ideographic spaces.
 */
const NFKC_PAIRS: readonly (readonly [string, string])[] = [
  ["ｐ", "p"],
  ["Ａ", "A"],
  ["１", "1"],
  ["９", "9"],
  ["\ufb01", "fi"],
  ["\ufb00", "ff"],
  ["²", "2"],
  ["Ⅸ", "IX"],
  ["①", "1"],
  ["㎏", "kg"],
  ["\u212b", "\u00c5"],
  ["e\u0301", "\u00e9"],
  ["\u00b5", "\u03bc"],
  ["\u017f", "s"],
  ["\u00a0", " "],
  ["\u3000", " "],
  ["ﾊ", "ハ"],
  ["ｶﾞ", "ガ"],
  ["\u01c4", "D\u017d"],
];

/**
 * Two different passwords that NFKC makes the same: at least 8 pieces, each
 * typed in either form; the first piece differs, so the two never coincide.
 */
export const nfkcEquivalentPasswords = fc
  .tuple(
    fc.constantFrom(...NFKC_PAIRS),
    fc.array(fc.tuple(fc.constantFrom(...NFKC_PAIRS), fc.boolean(), fc.boolean()), {
      minLength: 7,
      maxLength: 24,
    }),
  )
  .map(([first, rest]) => {
    const one = first[0] + rest.map(([pair, a]) => pair[a ? 0 : 1]).join("");
    const other = first[1] + rest.map(([pair, , b]) => pair[b ? 0 : 1]).join("");
    return [one, other] as const;
  });
/** One form of such a pair: text the core normalises before hashing. */
export const compatibilityText = nfkcEquivalentPasswords.map(([one]) => one);
