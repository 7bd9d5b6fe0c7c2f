/** Money in the sandbox is decimal.js from the request text to the JSON number written back; never JS float arithmetic. */
import Decimal from 'decimal.js';

export { Decimal };

export function money(text: string): Decimal {
  return new Decimal(text);
}

/** QBO rounds line amounts half-up to cents. */
export function roundCents(value: Decimal): Decimal {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** The JSON number for a decimal: its exact shortest decimal text, parsed once at the very end. */
export function jsonNumber(value: Decimal): number {
  return Number(value.toString());
}

export function sum(values: Decimal[]): Decimal {
  return values.reduce((acc, v) => acc.plus(v), new Decimal(0));
}
