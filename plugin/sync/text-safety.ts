/**
 * Text the plugin stores or sends to QuickBooks must hold only characters both ends accept:
 * - PostgreSQL refuses NUL in text and `\u0000` in jsonb;
 * - QuickBooks keeps its data as XML 1.0, which has no place for C0 control characters other than tab,
 *   line feed and carriage return, for unpaired UTF-16 surrogates, or for U+FFFE/U+FFFF; it answers 2040
 *   "invalid character" or fails the request. C1 controls (U+0080–U+009F) and DEL are legal XML but are
 *   never typed by a person: they come from broken encodings and are dropped too.
 * - Names (DisplayName, GivenName, FamilyName, CompanyName…) may not hold a tab or a line break either
 *   (fault 2040): single-line text turns each run of them into one space.
 * Pure functions: callers decide whether to strip (and log how many went) or to refuse.
 */

export type TextMode = 'single-line' | 'multi-line';

export interface UnsafeCharacter {
  /** UTF-16 index of the character in the text. */
  index: number;
  /** The code point (or the lone surrogate's code unit), e.g. 0 for NUL. */
  codePoint: number;
  /** A readable name for messages: "U+0000". */
  label: string;
}

const LINE_BREAKS_AND_TAB = /[\t\n\r]+/g;

function isLineBreakOrTab(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0d;
}

/** True for a character neither PostgreSQL nor QuickBooks accepts in this mode. */
function isUnsafeCodePoint(code: number, mode: TextMode): boolean {
  if (isLineBreakOrTab(code)) return mode === 'single-line';
  if (code < 0x20) return true;
  if (code >= 0x7f && code <= 0x9f) return true;
  if (code >= 0xd800 && code <= 0xdfff) return true; // only reached by a lone surrogate
  return code === 0xfffe || code === 0xffff;
}

function label(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Walk the text by code point; a lone surrogate comes out as its own code unit. */
function* codePoints(text: string): Generator<{ index: number; code: number; char: string }> {
  let index = 0;
  for (const char of text) {
    yield { index, code: char.codePointAt(0) ?? 0, char };
    index += char.length;
  }
}

/** The first character that would be refused, or null when the text is safe. */
export function findUnsafeCharacter(text: string, mode: TextMode = 'multi-line'): UnsafeCharacter | null {
  for (const { index, code } of codePoints(text)) {
    if (isUnsafeCodePoint(code, mode)) return { index, codePoint: code, label: label(code) };
  }
  return null;
}

export function isSafeText(text: string, mode: TextMode = 'multi-line'): boolean {
  return findUnsafeCharacter(text, mode) === null;
}

/**
 * The text without the characters QuickBooks or PostgreSQL refuse. In single-line mode each run of tabs
 * and line breaks becomes one space (a name typed over two lines keeps its words apart); other refused
 * characters are removed. `removed` counts what changed, for the caller's log line.
 */
export function stripUnsafeCharacters(text: string, mode: TextMode = 'multi-line'): { text: string; removed: number } {
  let removed = 0;
  let out = '';
  for (const { code, char } of codePoints(text)) {
    if (isUnsafeCodePoint(code, mode) && !(mode === 'single-line' && isLineBreakOrTab(code))) removed += 1;
    else out += char;
  }
  if (mode === 'single-line') {
    out = out.replace(LINE_BREAKS_AND_TAB, (run) => {
      removed += run.length;
      return ' ';
    });
  }
  return { text: out, removed };
}

/** Thrown by refuseUnsafeCharacters: names the field and the character, never repeats the text. */
export class UnsafeTextError extends Error {
  constructor(
    readonly field: string,
    readonly character: UnsafeCharacter,
  ) {
    super(`${field} contains the control character ${character.label} at position ${character.index + 1}, which QuickBooks does not accept`);
    this.name = 'UnsafeTextError';
  }
}

/** The text unchanged when it is safe; otherwise an UnsafeTextError (for values that must not be altered). */
export function refuseUnsafeCharacters(text: string, field: string, mode: TextMode = 'multi-line'): string {
  const found = findUnsafeCharacter(text, mode);
  if (found) throw new UnsafeTextError(field, found);
  return text;
}

/**
 * A JSON-like value (a QuickBooks payload, a jsonb snapshot) with every string, and every object key,
 * stripped in multi-line mode. Returns a new value; the input is not changed.
 */
export function stripUnsafeCharactersDeep<T>(value: T): { value: T; removed: number } {
  let removed = 0;
  const clean = (s: string): string => {
    const result = stripUnsafeCharacters(s);
    removed += result.removed;
    return result.text;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return clean(v);
    if (Array.isArray(v)) return v.map(walk);
    // Only plain objects are walked: a Decimal, a Date or a Buffer is kept as it is.
    if (v !== null && typeof v === 'object' && isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[clean(k)] = walk(inner);
      return out;
    }
    return v;
  };
  return { value: walk(value) as T, removed };
}

function isPlainObject(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
