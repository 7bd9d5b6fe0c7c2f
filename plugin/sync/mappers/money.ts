/**
 * Money rules for invoices and payments: the one rounding helper and the line amount rule QBO checks (6070).
 * Pure, decimal.js only; no JS number ever holds an amount. See README.md in this folder for the sources.
 *
 * - Rounding: half-up (ties away from zero) to cents. The QBO sandbox rounds half-up and Work's stand-in
 *   rounds half-up for display; Intuit documents no rounding mode, so ties are avoided on the wire (below).
 * - A line is sent as Qty × UnitPrice with Amount = round(Qty × UnitPrice, 2) only when QBO would compute the
 *   very same Amount whatever tie rule and arithmetic it uses; otherwise as Qty 1 at the rounded line total.
 */
import Decimal from 'decimal.js';

/** 60 significant digits: decimal.js's default 20 silently rounds a large quantity × a 4-decimal price. */
export const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -100, toExpPos: 100 });

/** QBO keeps at most 7 decimals of a line's Qty and UnitPrice (Breadwinner's QBO notes); more are dropped. */
export const QBO_MAX_RATE_DECIMALS = 7;
/** A JSON number with at most 15 significant digits survives any IEEE-double JSON parser unchanged. */
export const JSON_SAFE_SIGNIFICANT_DIGITS = 15;
/** Intuit: Line.Amount is "Max 15 digits in 10.5 format": at most 10 digits before the point. */
export const QBO_AMOUNT_LIMIT = new Exact('1e10');
/** Intuit: a line Description holds at most 4000 characters. */
export const QBO_LINE_DESCRIPTION_MAX = 4000;

const PLAIN_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Work's decimal strings ("12.5000", "-3", ".5") as an exact Decimal; anything else (NaN, 1e5, "", "1,5") is null. */
export function parseDecimal(text: string | null | undefined): Decimal | null {
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  if (!PLAIN_DECIMAL.test(trimmed)) return null;
  const value = new Exact(trimmed);
  return value.isZero() ? new Exact(0) : value;
}

/** THE rounding helper: half-up (ties away from zero) to cents. */
export function roundCents(value: Decimal.Value): Decimal {
  return new Exact(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** True when the value lies exactly halfway between two cents (where half-up, half-even and half-down differ). */
export function isHalfCentTie(value: Decimal.Value): boolean {
  const hundredths = new Exact(value).times(100);
  return hundredths.minus(hundredths.trunc()).abs().equals('0.5');
}

/**
 * How close to a half cent counts as "on" it: 1e-13 of the amount. A server that multiplies in IEEE doubles
 * (relative error ~3e-16) or in decimal.js's default 20 digits (the QBO sandbox) can land exactly on the half
 * cent and round the other way; within this band the product is treated like a tie.
 */
export const NEAR_HALF_CENT_RELATIVE = new Exact('1e-13');

/** A half-cent tie, or within another server's arithmetic error of one. */
export function isNearHalfCent(value: Decimal.Value): boolean {
  const hundredths = new Exact(value).times(100);
  const distance = hundredths.minus(hundredths.trunc()).abs().minus('0.5').abs();
  return distance.lessThanOrEqualTo(hundredths.abs().times(NEAR_HALF_CENT_RELATIVE));
}

/** A Qty or UnitPrice QBO holds exactly and every JSON parser reads back exactly. */
export function fitsQboRate(value: Decimal): boolean {
  return value.decimalPlaces() <= QBO_MAX_RATE_DECIMALS && value.sd(true) <= JSON_SAFE_SIGNIFICANT_DIGITS;
}

/** Fits Intuit's "10.5 format" once rounded to cents. */
export function fitsQboAmount(value: Decimal): boolean {
  return roundCents(value).abs().lessThan(QBO_AMOUNT_LIMIT);
}

/** Why a line is sent as Qty 1 at its total instead of its own quantity and price. */
export type LineTotalReason =
  | 'too_many_decimals' // Qty or UnitPrice has more than 7 decimals: QBO would drop digits
  | 'too_many_digits' // more than 15 significant digits: a JSON parser would change the number
  | 'half_cent'; // Qty × UnitPrice is on (or within float error of) a half cent: QBO's tie rule and precision are undocumented

export interface LineMoney {
  /** 'exact': Qty and UnitPrice as in Work; 'line_total': Qty 1 at the rounded line total. */
  form: 'exact' | 'line_total';
  qty: Decimal;
  unitPrice: Decimal;
  /** = roundCents(qty × unitPrice), exactly what QBO checks (6070). */
  amount: Decimal;
  /** Work's unrounded line total (quantity × unit price). */
  workTotal: Decimal;
  /** Work's own quantity and price, for the line description when form is 'line_total'. */
  originalQty: Decimal;
  originalUnitPrice: Decimal;
  reason?: LineTotalReason;
}

export type LineMoneyRefusal =
  | { code: 'invalid_number'; field: 'quantity' | 'unitPrice'; value: string }
  | { code: 'amount_too_large'; amount: Decimal };

export type LineMoneyResult = { ok: true; line: LineMoney } | { ok: false; refusal: LineMoneyRefusal };

/**
 * The QBO line amounts for one Work line. Criterion for sending Work's own Qty and UnitPrice: both fit QBO
 * (≤ 7 decimals, ≤ 15 significant digits) and their product is not on, or within 1e-13 relative of, a half
 * cent. Then QBO's round(Qty × UnitPrice, 2), under half-up or half-even, computed exactly, in doubles or in
 * 20 digits, is Work's line total rounded half-up.
 * Otherwise Qty 1 × UnitPrice = that rounded total, which equals its own Amount under any rule.
 */
export function lineMoney(quantity: string, unitPrice: string): LineMoneyResult {
  const qty = parseDecimal(quantity);
  if (qty === null) return { ok: false, refusal: { code: 'invalid_number', field: 'quantity', value: quantity } };
  const price = parseDecimal(unitPrice);
  if (price === null) return { ok: false, refusal: { code: 'invalid_number', field: 'unitPrice', value: unitPrice } };
  const workTotal = qty.times(price);
  const amount = roundCents(workTotal);
  if (!fitsQboAmount(amount)) return { ok: false, refusal: { code: 'amount_too_large', amount } };
  const reason = lineTotalReason(qty, price, workTotal);
  if (reason === undefined) {
    return { ok: true, line: { form: 'exact', qty, unitPrice: price, amount, workTotal, originalQty: qty, originalUnitPrice: price } };
  }
  return {
    ok: true,
    line: { form: 'line_total', qty: new Exact(1), unitPrice: amount, amount, workTotal, originalQty: qty, originalUnitPrice: price, reason },
  };
}

function lineTotalReason(qty: Decimal, price: Decimal, total: Decimal): LineTotalReason | undefined {
  if (qty.decimalPlaces() > QBO_MAX_RATE_DECIMALS || price.decimalPlaces() > QBO_MAX_RATE_DECIMALS) return 'too_many_decimals';
  if (!fitsQboRate(qty) || !fitsQboRate(price)) return 'too_many_digits';
  if (isNearHalfCent(total)) return 'half_cent';
  return undefined;
}

/** QBO's 6070 check as the sandbox models it: Amount must equal round(Qty × UnitPrice, 2) exactly. */
export function passesQboAmountCheck(qty: Decimal, unitPrice: Decimal, amount: Decimal): boolean {
  return roundCents(new Exact(qty).times(unitPrice)).equals(amount);
}

/** "2.33333333 × 0.3333": Work's quantity and price as written in a line sent at its total. */
export function originalQtyAndPrice(line: Pick<LineMoney, 'originalQty' | 'originalUnitPrice'>): string {
  return `${line.originalQty.toFixed()} × ${line.originalUnitPrice.toFixed()}`;
}

/** Sum of Decimals, exact. */
export function sumExact(values: readonly Decimal[]): Decimal {
  return values.reduce<Decimal>((acc, v) => acc.plus(v), new Exact(0));
}

/** A Decimal as a canonical string for hashing and logs: plain notation, no trailing zeros. */
export function canonicalDecimal(value: Decimal): string {
  return new Exact(value).toFixed();
}
