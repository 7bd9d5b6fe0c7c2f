/**
 * The text of an uploaded CSV, whatever Excel or QuickBooks saved it as: UTF-8 (with or without a BOM),
 * UTF-16 with its BOM (little or big endian: Excel's "Unicode Text"), or Windows-1252 (Excel's "CSV" on a
 * Western Windows). A file that is none of these (binary, BOM-less UTF-16) is refused, never guessed.
 */
export type DecodedText = { ok: true; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' } | { ok: false };

// Control characters a text file never holds (tab, line feed and carriage return are fine), and the bytes
// Windows-1252 leaves unassigned.
const FORBIDDEN_CODES = new Set([0x7f, 0x81, 0x8d, 0x8f, 0x90, 0x9d]);

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || FORBIDDEN_CODES.has(code)) return true;
  }
  return false;
}

// Windows-1252's 0x80–0x9F (Node's TextDecoder decodes "windows-1252" as Latin-1 there). Unassigned: 81 8D 8F 90 9D.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH.charAt(byte - 0x80) : String.fromCharCode(byte);
  return text;
}

function decode(encoding: 'utf-8' | 'utf-16le' | 'utf-16be', bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

function checked(text: string | null, encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'): DecodedText {
  return text === null || hasControlCharacters(text) ? { ok: false } : { ok: true, text, encoding };
}

export function decodeText(bytes: Uint8Array): DecodedText {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return checked(decode('utf-8', bytes), 'utf-8');
  if (b0 === 0xff && b1 === 0xfe) return checked(decode('utf-16le', bytes), 'utf-16le');
  if (b0 === 0xfe && b1 === 0xff) return checked(decode('utf-16be', bytes), 'utf-16be');
  // A NUL byte without a BOM: a binary file, or UTF-16 we cannot tell the byte order of.
  if (bytes.includes(0)) return { ok: false };
  const utf8 = decode('utf-8', bytes);
  if (utf8 !== null) return checked(utf8, 'utf-8');
  // Windows-1252 maps (nearly) every byte to a character; the control check still refuses binary data.
  return checked(decodeWindows1252(bytes), 'windows-1252');
}
