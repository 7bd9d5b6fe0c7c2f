import { expect } from 'chai';
import fc from 'fast-check';
import { toWireJson } from '../../plugin/qbo/wire-json';
import {
  allocateOpenBalances,
  decidePaymentPush,
  mapPayment,
  paymentSnapshotHash,
  QBO_PAYMENT_REF_MAX,
  resolvePaymentMethod,
  type MappedPayment,
  type PaymentMappingInput,
} from '../../plugin/sync/mappers/payment-payment';
import { Exact } from '../../plugin/sync/mappers/money';
import { workPayment } from '../support/invoice-fixtures';
import type { WorkPayment } from '../../plugin/host/work-records';

function input(payment: WorkPayment, overrides: Partial<PaymentMappingInput> = {}): PaymentMappingInput {
  return { payment, customerId: '58', invoice: { qboId: '130', openBalance: new Exact('91.00') }, depositAccountId: '2', paymentMethodId: '2', ...overrides };
}

function mapped(payment: WorkPayment, overrides: Partial<PaymentMappingInput> = {}): MappedPayment {
  const result = mapPayment(input(payment, overrides));
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
  return result.payment;
}

describe('sync payment mapper: Work payment → QBO Payment body', () => {
  it('applies the payment to its pushed invoice and deposits it to the chosen account', () => {
    const out = mapped(workPayment());
    expect(JSON.parse(toWireJson(out.body))).to.deep.equal({
      CustomerRef: { value: '58' },
      TotalAmt: 91,
      TxnDate: '2026-11-25',
      DepositToAccountRef: { value: '2' },
      Line: [{ Amount: 91, LinkedTxn: [{ TxnId: '130', TxnType: 'Invoice' }] }],
      PaymentMethodRef: { value: '2' },
      PaymentRefNum: 'CHK-1042',
      PrivateNote: 'Work payment p1',
    });
    expect(out.warnings).to.deep.equal([]);
    expect([out.applied.toFixed(2), out.unapplied.toFixed(2)]).to.deep.equal(['91.00', '0.00']);
  });

  it('applies a payment larger than its invoice up to the open balance and leaves the rest as a credit', () => {
    const out = mapped(workPayment({ amount: '100.00' }), { invoice: { qboId: '130', openBalance: new Exact('90.99') } });
    expect(out.body.TotalAmt.toFixed(2)).to.equal('100.00');
    expect(out.body.Line?.[0]?.Amount.toFixed(2)).to.equal('90.99');
    expect(out.unapplied.toFixed(2)).to.equal('9.01');
    expect(out.warnings.map((w) => w.code)).to.deep.equal(['exceeds_invoice_balance']);
    expect(out.warnings[0]?.detail).to.contain('9.01');
  });

  it('pays Work\'s total when QBO\'s total is a cent lower (tax rounding): 1 cent left as a credit, nothing refused', () => {
    const out = mapped(workPayment({ amount: '1.08' }), { invoice: { qboId: '130', openBalance: new Exact('1.07') } });
    expect([out.applied.toFixed(2), out.unapplied.toFixed(2)]).to.deep.equal(['1.07', '0.01']);
  });

  it('sends no line when the invoice is already paid in QBO, and says so', () => {
    const out = mapped(workPayment(), { invoice: { qboId: '130', openBalance: new Exact(0) } });
    expect(out.body.Line).to.equal(undefined);
    expect(out.warnings.map((w) => w.code)).to.deep.equal(['invoice_already_paid']);
  });

  it('sends a payment without an invoice as an unapplied credit for the client', () => {
    const out = mapped(workPayment({ invoiceId: null }), { invoice: null });
    expect(out.body.Line).to.equal(undefined);
    expect(out.warnings.map((w) => w.code)).to.deep.equal(['unapplied_no_invoice']);
  });

  it('rounds a sub-cent amount half-up and says so', () => {
    const out = mapped(workPayment({ amount: '10.005' }), { invoice: { qboId: '130', openBalance: new Exact(50) } });
    expect(out.body.TotalAmt.toFixed()).to.equal('10.01');
    expect(out.warnings.map((w) => w.code)).to.deep.equal(['amount_rounded']);
  });

  it('shortens a reference longer than 21 characters and keeps it whole in the private note', () => {
    const reference = 'WIRE-2026-11-25-NORTHWIND-00042';
    const out = mapped(workPayment({ reference }));
    expect(out.body.PaymentRefNum?.length).to.be.at.most(QBO_PAYMENT_REF_MAX);
    expect(out.body.PaymentRefNum).to.match(/^WIRE-2026-11~[0-9a-f]{8}$/);
    expect(out.body.PrivateNote).to.equal(`Work payment p1\nReference: ${reference}`);
    expect(out.warnings.map((w) => w.code)).to.deep.equal(['reference_shortened']);
  });

  it('leaves the method out when QBO has none of that name, and says so', () => {
    const out = mapped(workPayment({ method: 'Bitcoin' }), { paymentMethodId: null });
    expect(out.body.PaymentMethodRef).to.equal(undefined);
    expect(out.warnings.map((w) => w.code)).to.deep.equal(['method_not_found']);
    expect(mapped(workPayment({ method: null, reference: null }), { paymentMethodId: null }).warnings).to.deep.equal([]);
  });

  const refused: Array<[string, Partial<WorkPayment>, Partial<PaymentMappingInput>, string]> = [
    ['a zero payment', { amount: '0.00' }, {}, 'zero_amount'],
    ['a payment that rounds to zero', { amount: '0.004' }, {}, 'zero_amount'],
    ['a negative payment', { amount: '-5' }, {}, 'negative_amount'],
    ['a huge payment', { amount: '10000000000' }, {}, 'amount_too_large'],
    ['an amount that is not a number', { amount: '12,50' }, {}, 'invalid_number'],
    ['a bad date', { paidOn: 'yesterday' }, {}, 'invalid_date'],
    ['no customer', {}, { customerId: '' }, 'missing_customer'],
  ];
  for (const [what, payment, overrides, code] of refused) {
    it(`refuses ${what} with ${code}`, () => {
      const work = workPayment(payment);
      const before = structuredClone(work);
      const result = mapPayment(input(work, overrides));
      expect(work).to.deep.equal(before); // nothing lost: the Work payment is untouched
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.refusal.code).to.equal(code);
    });
  }

  it('property: the applied amount never exceeds the payment or the open balance, and nothing is lost', () => {
    const cents = fc.bigInt({ min: 1n, max: 10n ** 11n }).map((n) => new Exact(n.toString()).dividedBy(100));
    fc.assert(
      fc.property(cents, fc.bigInt({ min: -1000n, max: 10n ** 11n }).map((n) => new Exact(n.toString()).dividedBy(100)), (amount, open) => {
        const result = mapPayment(input(workPayment({ amount: amount.toFixed(2) }), { invoice: { qboId: '9', openBalance: open } }));
        if (!result.ok) {
          expect(result.refusal.code).to.equal('amount_too_large');
          return;
        }
        const p = result.payment;
        expect(p.applied.lessThanOrEqualTo(p.total) && p.applied.lessThanOrEqualTo(Exact.max(open, 0))).to.equal(true);
        expect(p.applied.plus(p.unapplied).equals(p.total)).to.equal(true);
        expect(p.body.TotalAmt.equals(amount)).to.equal(true);
      }),
      { numRuns: 500 },
    );
  });

  describe('allocateOpenBalances: several payments of one invoice in one run', () => {
    it('gives each payment what earlier ones left open, so together they never apply more than the balance', () => {
      const out = allocateOpenBalances(
        [
          { workPaymentId: 'p1', qboInvoiceId: '130', amount: '50.00' },
          { workPaymentId: 'p2', qboInvoiceId: '131', amount: '10.00' },
          { workPaymentId: 'p3', qboInvoiceId: '130', amount: '50.00' },
          { workPaymentId: 'p4', qboInvoiceId: '130', amount: '5.00' },
          { workPaymentId: 'p5', qboInvoiceId: null, amount: '5.00' },
          { workPaymentId: 'p6', qboInvoiceId: '132', amount: '5.00' },
        ],
        new Map([['130', new Exact('91.00')], ['131', new Exact('10.005')]]),
      );
      expect(Object.fromEntries([...out].map(([k, v]) => [k, v.toFixed(2)]))).to.deep.equal({ p1: '91.00', p2: '10.01', p3: '41.00', p4: '0.00', p6: '0.00' });
    });

    it('property: the applied amounts of an invoice add up to at most its open balance, and each is what it may apply', () => {
      const amount = fc.bigInt({ min: -500n, max: 20_000n }).map((n) => new Exact(n.toString()).dividedBy(100).toFixed(2));
      fc.assert(
        fc.property(fc.array(fc.record({ amount, invoice: fc.constantFrom('1', '2') }), { maxLength: 12 }), fc.bigInt({ min: 0n, max: 50_000n }), (list, cents) => {
          const open = new Exact(cents.toString()).dividedBy(100);
          const payments = list.map((p, i) => ({ workPaymentId: `p${i}`, qboInvoiceId: p.invoice, amount: p.amount }));
          const allocated = allocateOpenBalances(payments, new Map([['1', open], ['2', open]]));
          for (const invoice of ['1', '2']) {
            let applied = new Exact(0);
            for (const p of payments.filter((x) => x.qboInvoiceId === invoice)) {
              const result = mapPayment(input(workPayment({ id: p.workPaymentId, amount: p.amount }), { invoice: { qboId: invoice, openBalance: allocated.get(p.workPaymentId) ?? new Exact(0) } }));
              if (result.ok) applied = applied.plus(result.payment.applied);
            }
            expect(applied.lessThanOrEqualTo(open)).to.equal(true);
          }
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('resolvePaymentMethod', () => {
    const methods = [
      { Id: '1', Name: 'Cash' },
      { Id: '2', Name: 'Check' },
      { Id: '7', Name: 'Old  Card', Active: false },
    ];
    it('matches by name, ignoring case and spacing, active methods only', () => {
      expect(resolvePaymentMethod(' check ', methods)).to.equal('2');
      expect(resolvePaymentMethod('CASH', methods)).to.equal('1');
      expect(resolvePaymentMethod('old card', methods)).to.equal(null);
      expect(resolvePaymentMethod('', methods)).to.equal(null);
      expect(resolvePaymentMethod(null, methods)).to.equal(null);
    });
  });

  describe('pushing a Work payment again', () => {
    it('creates it the first time', () => {
      const payment = workPayment();
      expect(decidePaymentPush(null, payment, 'p1')).to.deep.equal({ action: 'create', hash: paymentSnapshotHash(payment) });
    });

    it('skips an unchanged payment (a touched updatedAt or 91 written as 91.00 is no change)', () => {
      const pushed = { qboPaymentId: '300', hash: paymentSnapshotHash(workPayment({ amount: '91' })) };
      expect(decidePaymentPush(pushed, workPayment({ updatedAt: new Date('2026-11-30T00:00:00Z') }), 'p1')).to.deep.equal({ action: 'skip', reason: 'unchanged' });
    });

    it('creates a NEW QBO payment for an edited one and names both in the warning', () => {
      const pushed = { qboPaymentId: '300', hash: paymentSnapshotHash(workPayment()) };
      const edited = workPayment({ amount: '95.00' });
      expect(decidePaymentPush(pushed, edited, 'p1')).to.deep.equal({
        action: 'create_new',
        hash: paymentSnapshotHash(edited),
        warning: { code: 'payment_edited', workPaymentId: 'p1', earlierQboPaymentId: '300' },
      });
    });

    it('never deletes in QBO: a deleted Work payment is skipped with a warning naming the QBO payment', () => {
      expect(decidePaymentPush({ qboPaymentId: '300', hash: 'x' }, null, 'p1')).to.deep.equal({
        action: 'skip',
        reason: 'deleted_in_work',
        warning: { code: 'payment_deleted_in_work', workPaymentId: 'p1', earlierQboPaymentId: '300' },
      });
    });
  });
});
