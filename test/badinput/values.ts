/**
 * The hostile values the suite generates its cases from (family × field × value). Markup values set a
 * page-level flag or open a dialog if a browser ever ran them; nothing may.
 */
export const HOSTILE_NAMES: Readonly<Record<string, string>> = {
  quotes: `O'Brien "Best" Plumbing`,
  backslash: 'North\\Yard \\n \\" \\\\',
  colon: 'Acme: East Wing',
  tab: 'Acme\tEast',
  newline: 'Acme\nEast\r\nWing',
  nul: 'Acme\u0000East',
  emoji: 'Pipes 🚰 & Co 👩🏽‍🔧',
  rtl: 'شركة \u202Eevil.exe\u202C سباكة',
  long1000: `L${'ong'.repeat(333)}`,
  html: '<b>Bold</b> & <i>Co</i>',
  script: '<script>window.__pwned=1</script>',
  attribute: `"><img src=x onerror="window.__pwned=1;alert(1)">`,
};

/** Expected outcome of a hostile text in a field that allows `max` characters (after trimming, as Work's forms do). */
export function textOutcome(value: string, max: number): { ok: true; stored: string } | { ok: false; reason: 'nul' | 'tooLong' } {
  if (value.includes('\u0000')) return { ok: false, reason: 'nul' };
  const stored = value.trim();
  if (stored.length > max) return { ok: false, reason: 'tooLong' };
  return { ok: true, stored };
}

export const INVALID_EMAILS: Readonly<Record<string, string>> = {
  plain: 'plainaddress',
  noLocal: '@northwind.test',
  noDomain: 'nora@',
  noDot: 'nora@localhost',
  twoAts: 'nora@@northwind.test',
  space: 'nora admin@northwind.test',
  two: 'a@northwind.test, b@northwind.test',
  markup: '<script>@x.test',
  newline: 'nora@northwind.test\nBcc: x@evil.test',
  nul: 'nora\u0000@northwind.test',
  tooLong: `${'a'.repeat(250)}@x.test`,
  unicodeDots: 'nora@northwind．test',
};

/** Amounts typed into number fields. */
export const AMOUNTS: Readonly<Record<string, string>> = {
  zero: '0',
  zeroCents: '0.00',
  negative: '-1',
  negativeCents: '-0.01',
  huge: '99999999999',
  hugeDigits: '12345678901234567890.5',
  largest: '9999999999.99',
  exponent: '1e6',
  fourDecimals: '1.2345',
  fiveDecimals: '1.23456',
  thousands: '1,000.00',
  nan: 'NaN',
  infinity: 'Infinity',
  hex: '0x1A',
  blank: '',
  spaced: ' 12.5 ',
  arabicDigits: '١٢',
  plusSign: '+5',
};
