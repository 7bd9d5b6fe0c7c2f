/** Text as QBO takes it: no control characters, lengths counted in UTF-16 units (as QBO counts them). */

/** Removes control characters (keeping newlines when asked): QBO refuses some, and none belong in a number. */
export function stripControlCharacters(text: string, keepNewlines = false): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (keepNewlines && ch === '\n') out += ch;
    else if (code < 0x20 || code === 0x7f) out += code === 0x09 || code === 0x0a || code === 0x0d ? ' ' : '';
    else out += ch;
  }
  return out;
}

/** The longest prefix of whole code points whose UTF-16 length (what QBO counts) is at most `units`. */
export function takeUtf16Units(text: string, units: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > units) break;
    out += ch;
  }
  return out;
}
