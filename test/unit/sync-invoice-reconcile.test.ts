import { expect } from 'chai';
import type Decimal from 'decimal.js';
import fc from 'fast-check';
import { mapInvoice } from '../../plugin/sync/mappers/invoice-invoice';
import { Exact, roundCents } from '../../plugin/sync/mappers/money';
import { explainableBound, reconcileInvoice, type Reconciliation } from '../../plugin/sync/plan/reconcile';
import { priceArb, workInvoice, workLine, workQuantityArb } from '../support/invoice-fixtures';
import type { WorkInvoice } from '../../plugin/host/work-records';

/** QBO's total for an invoice as the sandbox computes it: lines rounded, one flat US rate on the TAX lines' sum. */
function qboTotals(invoice: WorkInvoice, ratePercent: string): { total: Decimal; tax: Decimal } {
  const result = mapInvoice({ invoice, customerId: '1', itemIdByLineId: new Map(invoice.lines.map((l) => [l.id, '1'])), taxCodes: { mode: 'us' }, customTxnNumbers: true });
  if (!result.ok) throw new Error(result.refusal.code);
  const taxable = result.invoice.lines.filter((l) => l.taxable).reduce((acc, l) => acc.plus(l.money.amount), new Exact(0));
  const tax = roundCents(taxable.times(ratePercent).dividedBy(100));
  return { total: result.invoice.qboSubtotal.plus(tax), tax };
}

function reconciled(invoice: WorkInvoice, qboTotal: Decimal, qboTax: Decimal | null): Reconciliation {
  const result = reconcileInvoice({ invoice, qboTotalAmt: qboTotal, qboTotalTax: qboTax });
  if (!result.ok) throw new Error(result.detail);
  return result.reconciliation;
}

describe('sync invoice reconciliation', () => {
  it('the FAQ case: three taxed lines of 0.3333 — QBO 1.07, Work 1.08, one cent explained by rounding', () => {
    const invoice = workInvoice({ lines: [1, 2, 3].map((i) => workLine({ id: `l${i}`, position: i, quantity: '1', unitPrice: '0.3333', taxable: true })) }, '8.25');
    expect([invoice.subtotal, invoice.taxTotal, invoice.total]).to.deep.equal(['0.9999', '0.08249175', '1.08239175']);
    const qbo = qboTotals(invoice, '8.25');
    expect([qbo.total.toFixed(2), qbo.tax.toFixed(2)]).to.deep.equal(['1.07', '0.08']);
    const r = reconciled(invoice, qbo.total, qbo.tax);
    expect(r.workTotalCents.toFixed(2)).to.equal('1.08');
    expect(r.differenceCents.toFixed()).to.equal('-1');
    expect(r.explained).to.equal(true);
    expect(r.flag).to.equal(null);
    expect(r.subtotalDifference?.toFixed()).to.equal('-0.0099');
    expect(r.taxDifference?.toFixed()).to.equal('-0.00249175');
  });

  it('the FAQ case as one line of 3 × 0.3333: both say 1.08, no difference', () => {
    const invoice = workInvoice({ lines: [workLine({ quantity: '3', unitPrice: '0.3333', taxable: true })] }, '8.25');
    const qbo = qboTotals(invoice, '8.25');
    const r = reconciled(invoice, qbo.total, qbo.tax);
    expect([r.qboTotal.toFixed(2), r.differenceCents.toFixed(), r.explained]).to.deep.equal(['1.08', '0', true]);
  });

  it('flags a difference rounding cannot explain (QBO taxed at another rate)', () => {
    const invoice = workInvoice({ lines: [workLine({ quantity: '10', unitPrice: '100', taxable: true })] }, '8.875');
    const qbo = qboTotals(invoice, '8.25');
    const r = reconciled(invoice, qbo.total, qbo.tax);
    expect(r.differenceCents.toFixed()).to.equal('-625');
    expect(r.explained).to.equal(false);
    expect(r.flag).to.equal('unexplained_difference');
    expect(r.subtotalDifference?.toFixed()).to.equal('0');
  });

  it('explains at most ½¢ per line, ½¢ × rate per taxed line, ½¢ for QBO\'s tax and ½¢ for Work\'s cents', () => {
    const invoice = workInvoice({ lines: [workLine({ id: 'a', taxable: true }), workLine({ id: 'b', position: 2, taxable: false })] }, '10');
    expect(explainableBound({ invoice }).toFixed()).to.equal('0.0205');
    expect(explainableBound({ invoice: workInvoice({ lines: [workLine()] }) }).toFixed()).to.equal('0.01');
  });

  it('refuses Work amounts that are not numbers instead of guessing', () => {
    const result = reconcileInvoice({ invoice: { ...workInvoice(), total: 'n/a' }, qboTotalAmt: new Exact(1), qboTotalTax: null });
    expect(result).to.deep.include({ ok: false, reason: 'invalid_work_amount' });
  });

  it('property: with the same flat rate, QBO\'s way of taxing never differs from Work\'s by more than rounding explains', () => {
    const line = fc.record({ quantity: workQuantityArb, unitPrice: priceArb, taxable: fc.boolean() });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), fc.constantFrom('8.25', '7.25', '10', '0'), (lines, rate) => {
        const invoice = workInvoice({ lines: lines.map((l, i) => workLine({ id: `l${i}`, position: i, ...l })) }, rate);
        const qbo = qboTotals(invoice, rate);
        const r = reconciled(invoice, qbo.total, qbo.tax);
        expect(r.explained, `difference ${r.differenceCents.toFixed()}¢ > ${r.explainableCents.toFixed()}¢`).to.equal(true);
      }),
      { numRuns: 1000 },
    );
  });
});
