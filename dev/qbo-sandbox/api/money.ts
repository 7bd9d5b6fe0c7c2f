/** Money in the sandbox is decimal.js from the request text to the JSON number written back; never JS float arithmetic. */
import BaseDecimal from 'decimal.js';

/**
 * decimal.js rounds every product to 20 significant digits by default, which turns an exact
 * 1234579210.37499999999 into …210.375 and would refuse a correct Amount with 6070. QBO checks the exact
 * product, so the sandbox computes with far more digits than any amount it accepts can carry.
 */
export const Decimal = BaseDecimal.clone({ precision: 64 });
export type Decimal = BaseDecimal;

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
