/**
 * Work invoices and payments for the invoice/payment rule tests, plus fast-check generators of Work-shaped
 * decimal strings (quantities with many decimals, 4-decimal prices). Amounts are strings, as Work hands them.
 */
import fc from 'fast-check';
import type { WorkInvoice, WorkInvoiceLine, WorkPayment } from '../../plugin/host/work-records';
import { Exact, parseDecimal } from '../../plugin/sync/mappers/money';

export function workLine(overrides: Partial<WorkInvoiceLine> = {}): WorkInvoiceLine {
  return {
    id: 'l1',
    position: 1,
    itemId: null,
    description: 'Labour',
    quantity: '2.0000',
    unitPrice: '45.5000',
    taxable: false,
    taxAmount: '0.0000',
    ...overrides,
  };
}

/** An invoice whose subtotal, tax and total are Work's exact sums of its lines (tax at `ratePercent`). */
export function workInvoice(overrides: Partial<WorkInvoice> = {}, ratePercent = '8.25'): WorkInvoice {
  // A line with a bad number (a bad-input case) counts as zero in the totals.
  const amountOf = (l: WorkInvoiceLine) => (parseDecimal(l.quantity) ?? new Exact(0)).times(parseDecimal(l.unitPrice) ?? 0);
  const lines = (overrides.lines ?? [workLine()]).map((l) => ({ ...l, taxAmount: l.taxable ? amountOf(l).times(ratePercent).dividedBy(100).toFixed() : '0' }));
  const subtotal = lines.reduce((acc, l) => acc.plus(amountOf(l)), new Exact(0));
  const tax = lines.reduce((acc, l) => acc.plus(l.taxAmount), new Exact(0));
  return {
    id: 'inv1',
    accountId: 'acc1',
    clientId: 'c1',
    siteId: null,
    number: 'INV-1001',
    issueDate: '2026-11-20',
    dueDate: '2026-12-20',
    notes: null,
    subtotal: subtotal.toFixed(),
    taxTotal: tax.toFixed(),
    total: subtotal.plus(tax).toFixed(),
    createdAt: new Date('2026-11-20T10:00:00Z'),
    updatedAt: new Date('2026-11-20T10:00:00Z'),
    ...overrides,
    lines,
  };
}

export function workPayment(overrides: Partial<WorkPayment> = {}): WorkPayment {
  return {
    id: 'p1',
    accountId: 'acc1',
    clientId: 'c1',
    invoiceId: 'inv1',
    amount: '91.00',
    paidOn: '2026-11-25',
    method: 'Check',
    reference: 'CHK-1042',
    createdAt: new Date('2026-11-25T09:00:00Z'),
    updatedAt: new Date('2026-11-25T09:00:00Z'),
    ...overrides,
  };
}

/** A decimal string in [0, max] with between minDecimals and maxDecimals digits after the point. */
export function scaledDecimal(max: bigint, minDecimals: number, maxDecimals: number): fc.Arbitrary<string> {
  return fc
    .integer({ min: minDecimals, max: maxDecimals })
    .chain((decimals) => fc.bigInt({ min: 0n, max: max * 10n ** BigInt(decimals) }).map((units) => new Exact(units.toString()).dividedBy(new Exact(10).pow(decimals)).toFixed(decimals)));
}

/** Quantities as Work may hold them: 0 to 12 decimals, up to 10,000 units. */
export const quantityArb = scaledDecimal(10_000n, 0, 12);
/** Quantities as the stand-in stores them: 4 decimals, positive. */
export const workQuantityArb = fc.bigInt({ min: 1n, max: 10_000_0000n }).map((n) => new Exact(n.toString()).dividedBy(10_000).toFixed(4));
/** 4-decimal prices up to 100,000. */
export const priceArb = fc.bigInt({ min: 0n, max: 100_000_0000n }).map((n) => new Exact(n.toString()).dividedBy(10_000).toFixed(4));
