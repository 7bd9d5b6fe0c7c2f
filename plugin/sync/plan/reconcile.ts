/**
 * Reconciliation of one pushed invoice (pure): Work's total against QBO's TotalAmt from the write's own
 * answer (never a second read), the difference in cents, and whether rounding can explain it.
 *
 * Why totals differ (the FAQ): Work taxes each line's unrounded amount (4 decimals and more) and adds
 * unrounded; QBO rounds each line to cents, then taxes the sum of the taxable lines once per tax code and
 * rounds that tax to cents. With the same rate r, QBO total − Work total is
 *   Σ (round(lᵢ) − lᵢ)  +  r · Σ_taxable (round(lᵢ) − lᵢ)  +  (one tax rounding per tax code)
 * so its size is at most ½¢ · (lines + Σ_taxable rᵢ + tax codes), plus ½¢ for showing Work's total in cents.
 * A larger difference is flagged: rounding cannot explain it (most often a different tax rate in QBO,
 * e.g. US automated sales tax from the address; the QBO sandbox uses one flat US rate, 8.25 %).
 */
import type Decimal from 'decimal.js';
import type { WorkInvoice } from '../../host/work-records';
import { Exact, parseDecimal, roundCents } from '../mappers/money';

const HALF_CENT = new Exact('0.005');

export interface ReconcileInput {
  invoice: Pick<WorkInvoice, 'subtotal' | 'taxTotal' | 'total' | 'lines'>;
  /** TotalAmt from QBO's answer to the create or update. */
  qboTotalAmt: Decimal;
  /** TxnTaxDetail.TotalTax from the same answer, when present. */
  qboTotalTax: Decimal | null;
  /** Tax codes QBO rounds separately (1 in the US: TAX). */
  taxCodeCount?: number;
}

export interface Reconciliation {
  /** Work's exact total and that total in cents (half-up), as Work shows it. */
  workTotal: Decimal;
  workTotalCents: Decimal;
  qboTotal: Decimal;
  /** qboTotal − workTotalCents, in whole cents (negative: QBO is lower). */
  differenceCents: Decimal;
  /** The most cents rounding can explain for this invoice (whole cents, rounded down). */
  explainableCents: Decimal;
  explained: boolean;
  /** Where the difference sits, when QBO's answer says its tax. */
  subtotalDifference: Decimal | null;
  taxDifference: Decimal | null;
  flag: 'unexplained_difference' | null;
}

export type ReconcileResult = { ok: true; reconciliation: Reconciliation } | { ok: false; reason: 'invalid_work_amount'; detail: string };

export function reconcileInvoice(input: ReconcileInput): ReconcileResult {
  const workTotal = parseDecimal(input.invoice.total);
  const workSubtotal = parseDecimal(input.invoice.subtotal);
  const workTax = parseDecimal(input.invoice.taxTotal);
  if (workTotal === null || workSubtotal === null || workTax === null) {
    return { ok: false, reason: 'invalid_work_amount', detail: `total "${input.invoice.total}", subtotal "${input.invoice.subtotal}", tax "${input.invoice.taxTotal}"` };
  }
  const workTotalCents = roundCents(workTotal);
  const qboTotal = new Exact(input.qboTotalAmt);
  const differenceCents = qboTotal.minus(workTotalCents).times(100);
  const explainableCents = explainableBound(input).times(100).floor();
  const explained = differenceCents.abs().lessThanOrEqualTo(explainableCents);
  let subtotalDifference: Decimal | null = null;
  let taxDifference: Decimal | null = null;
  if (input.qboTotalTax !== null) {
    const qboTax = new Exact(input.qboTotalTax);
    subtotalDifference = qboTotal.minus(qboTax).minus(workSubtotal);
    taxDifference = qboTax.minus(workTax);
  }
  return {
    ok: true,
    reconciliation: {
      workTotal,
      workTotalCents,
      qboTotal,
      differenceCents,
      explainableCents,
      explained,
      subtotalDifference,
      taxDifference,
      flag: explained ? null : 'unexplained_difference',
    },
  };
}

/** ½¢ per line, ½¢ × rate per taxable line, ½¢ per tax code QBO rounds, ½¢ for Work's total in cents. */
export function explainableBound(input: Pick<ReconcileInput, 'invoice' | 'taxCodeCount'>): Decimal {
  let bound = HALF_CENT; // Work's total shown in cents
  let taxedLines = 0;
  for (const line of input.invoice.lines) {
    bound = bound.plus(HALF_CENT);
    const rate = lineTaxRate(line.quantity, line.unitPrice, line.taxAmount);
    if (rate !== null && !rate.isZero()) {
      bound = bound.plus(HALF_CENT.times(rate.abs()));
      taxedLines += 1;
    }
  }
  if (taxedLines > 0) bound = bound.plus(HALF_CENT.times(input.taxCodeCount ?? 1));
  return bound;
}

/** Work's own rate on a line (its tax ÷ its unrounded amount), or null when it cannot be told. */
function lineTaxRate(quantity: string, unitPrice: string, taxAmount: string): Decimal | null {
  const qty = parseDecimal(quantity);
  const price = parseDecimal(unitPrice);
  const tax = parseDecimal(taxAmount);
  if (qty === null || price === null || tax === null) return null;
  const amount = qty.times(price);
  if (amount.isZero()) return null;
  return tax.dividedBy(amount);
}
