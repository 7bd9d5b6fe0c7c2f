/**
 * Comparison keys for matching (SPEC §2: "Names are compared normalised (case, surrounding/duplicate spaces,
 * punctuation variants); emails case-insensitively"). These keys are only compared, never sent or shown.
 *
 * Company name key, in this order:
 * - Unicode NFC, so a composed "é" and "e" + combining accent are the same letter; accents are KEPT
 *   ("Café" and "Cafe" are different companies).
 * - case-folded, locale-independent: upper- then lower-cased, so "Straße" = "STRASSE" and "ﬁ" = "fi";
 * - curly/prime quotes and apostrophes → straight ones; en/em/figure dashes and minus → "-";
 * - "&" → "and" ("Smith & Sons" = "Smith and Sons" = "Smith&Sons");
 * - commas → space, periods dropped except between two digits ("Acme, Inc." = "Acme Inc";
 *   "Co." = "Co"; "Ltd." = "Ltd"; "A.B.C." = "ABC"; "1.5" stays);
 * - control characters, zero-width spaces and every kind of white space → one space; trimmed.
 * Blank (or only spaces/punctuation that vanish) → null: a blank name never matches.
 */

const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u2035\u02BC\u0060\u00B4]/gu;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u2036\u00AB\u00BB]/gu;
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/gu;
const INVISIBLE = /[\u200B\u2060\uFEFF]/gu;
// \p{Cc} are control characters (NUL, tab, newline...); \s covers the Unicode spaces (NBSP, ideographic...).
const SPACES = /[\s\p{Cc}]+/gu;
const PERIOD_NOT_IN_NUMBER = /(?<!\d)\.|\.(?!\d)/gu;

export function normaliseCompanyName(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const key = value
    .normalize('NFC')
    .toUpperCase()
    .toLowerCase()
    .replace(/ß/gu, 'ss') // full case folding: "ẞ" lower-cases to "ß", whose upper case is "SS"
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, '-')
    .replace(/&/gu, ' and ')
    .replace(/,/gu, ' ')
    .replace(PERIOD_NOT_IN_NUMBER, '')
    .replace(SPACES, ' ')
    .trim();
  return key === '' ? null : key;
}

/** Emails compare trimmed and case-insensitively; blank → null (a blank email never matches). */
export function normaliseEmail(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const key = value.normalize('NFC').replace(INVISIBLE, '').trim().toLowerCase();
  return key === '' ? null : key;
}
