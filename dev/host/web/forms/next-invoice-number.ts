/**
 * The number a new invoice form starts with: the account's latest invoice number with its trailing digits
 * counted up (NW-1024 → NW-1025, A-0099 → A-0100), skipping numbers already used; INV-1001 for the first.
 * A prefill only: the person may type any other number, and saving still refuses a clash.
 */
const TRAILING_DIGITS = /^(.*?)(\d+)$/;
const FIRST_NUMBER = 'INV-1001';
const MAX_LENGTH = 50;

export function nextInvoiceNumber(numbersOldestFirst: readonly string[]): string {
  const used = new Set(numbersOldestFirst);
  const latest = [...numbersOldestFirst].reverse().find((n) => TRAILING_DIGITS.test(n));
  const match = latest ? TRAILING_DIGITS.exec(latest) : null;
  if (!match) return used.has(FIRST_NUMBER) ? nextInvoiceNumber([...numbersOldestFirst, FIRST_NUMBER]) : FIRST_NUMBER;
  const prefix = match[1] ?? '';
  const digits = match[2] ?? '0';
  // The highest number already used with the same prefix, so a number typed out of order is not reused.
  let value = BigInt(digits);
  for (const n of used) {
    const m = TRAILING_DIGITS.exec(n);
    if (m && m[1] === prefix && m[2] !== undefined && BigInt(m[2]) > value) value = BigInt(m[2]);
  }
  let candidate: string;
  do {
    value += 1n;
    candidate = `${prefix}${value.toString().padStart(digits.length, '0')}`;
  } while (used.has(candidate));
  return candidate.length <= MAX_LENGTH ? candidate : '';
}
