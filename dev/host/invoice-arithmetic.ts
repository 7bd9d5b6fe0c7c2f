import Decimal from 'decimal.js';
import type { DecimalString } from '../../plugin/host/work-records';

/**
 * Work's invoice arithmetic: tax per line on the UNROUNDED line amount, never rounded afterwards. QuickBooks
 * taxes the rounded invoice total instead, which is why the two systems can differ by a few cents.
 *
 * A private Decimal with 60 significant digits: the default 20 would silently round the product of a large
 * quantity, a 4-decimal price and a rate.
 */
const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });

/** Work shows and stores money with at least 4 decimals; exact values keep all of theirs. */
export const MIN_DECIMALS = 4;

export interface LineAmountsInput {
  quantity: DecimalString;
  unitPrice: DecimalString;
  taxable: boolean;
}

export interface LineAmounts {
  /** quantity × unit price, unrounded. */
  amount: DecimalString;
  /** amount × rate / 100 on taxable lines, unrounded; zero otherwise. */
  taxAmount: DecimalString;
}

export interface InvoiceTotals {
  subtotal: DecimalString;
  taxTotal: DecimalString;
  total: DecimalString;
}

/** A decimal as a plain string (never exponent notation) with at least MIN_DECIMALS decimals. */
export function formatExact(value: Decimal.Value): DecimalString {
  const d = new Exact(value);
  return d.decimalPlaces() < MIN_DECIMALS ? d.toFixed(MIN_DECIMALS) : d.toFixed();
}

export function lineAmounts(line: LineAmountsInput, taxRatePercent: DecimalString): LineAmounts {
  const amount = new Exact(line.quantity).times(line.unitPrice);
  const tax = line.taxable ? amount.times(taxRatePercent).dividedBy(100) : new Exact(0);
  return { amount: formatExact(amount), taxAmount: formatExact(tax) };
}

/** Totals from the lines as stored: subtotal of the line amounts, sum of the stored per-line tax. */
export function invoiceTotals(lines: readonly (LineAmountsInput & { taxAmount: DecimalString })[]): InvoiceTotals {
  let subtotal = new Exact(0);
  let taxTotal = new Exact(0);
  for (const line of lines) {
    subtotal = subtotal.plus(new Exact(line.quantity).times(line.unitPrice));
    taxTotal = taxTotal.plus(line.taxAmount);
  }
  return { subtotal: formatExact(subtotal), taxTotal: formatExact(taxTotal), total: formatExact(subtotal.plus(taxTotal)) };
}

/** The one place Work's exact amounts are rounded: half-up to cents (e.g. to pay an invoice in full). */
export function roundToCents(value: DecimalString): DecimalString {
  return new Exact(value).toFixed(2, Decimal.ROUND_HALF_UP);
}

/** Money for people: rounded half-up to cents, with thousands separators. */
export function formatMoneyForDisplay(value: DecimalString): string {
  const fixed = roundToCents(value);
  const [whole = '0', cents = '00'] = fixed.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = sign ? whole.slice(1) : whole;
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}
