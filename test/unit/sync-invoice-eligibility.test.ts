import { expect } from 'chai';
import fc from 'fast-check';
import {
  changedSince,
  invoiceCustomerId,
  invoiceEligibility,
  paymentEligibility,
  type InvoiceEligibilityInput,
  type PaymentEligibilityInput,
} from '../../plugin/sync/plan/invoice-eligibility';
import { layerBefore, planPushLayers, PUSH_LAYERS, type LayeredWrite, type PushLayer } from '../../plugin/sync/plan/push-layers';
import { DEFAULT_INVOICE_PAYMENT_SETTINGS, type AccountSeen, type CompanyFacts, type InvoicePaymentSettings } from '../../plugin/sync/plan/settings-rules';
import { workInvoice, workPayment } from '../support/invoice-fixtures';

const ON_AT = new Date('2026-11-15T00:00:00Z');
const settings: InvoicePaymentSettings = {
  ...DEFAULT_INVOICE_PAYMENT_SETTINGS,
  invoicesEnabled: true,
  invoicesEnabledAt: ON_AT,
  paymentsEnabled: true,
  paymentsEnabledAt: ON_AT,
  incomeAccountId: '5',
  depositAccountId: '2',
};
const accounts: AccountSeen[] = [
  { Id: '2', Name: 'Checking', AccountType: 'Bank' },
  { Id: '4', Name: 'Undeposited Funds', AccountType: 'Other Current Asset' },
  { Id: '5', Name: 'Fees Billed', AccountType: 'Income' },
  { Id: '7', Name: 'A/R', AccountType: 'Accounts Receivable' },
  { Id: '10', Name: 'COGS', AccountType: 'Cost of Goods Sold' },
  { Id: '20', Name: 'Old Bank', AccountType: 'Bank', Active: false },
  { Id: '21', Name: 'Old Income', AccountType: 'Income', Active: false },
  { Id: '22', Name: 'Old Expense', AccountType: 'Expense', Active: false },
];
const us: CompanyFacts = { country: 'US', accounts: new Map(accounts.map((a) => [a.Id, a])), taxCodes: new Map() };
const ca: CompanyFacts = { ...us, country: 'CA', taxCodes: new Map([['4', { Id: '4', Name: 'GST' }], ['2', { Id: '2', Name: 'Exempt' }], ['9', { Id: '9', Active: false }]]) };

function invoiceInput(overrides: Partial<InvoiceEligibilityInput> = {}): InvoiceEligibilityInput {
  return { invoice: workInvoice(), links: { clientCustomerId: '58', siteCustomerId: null }, settings, facts: us, ...overrides };
}

function paymentInput(overrides: Partial<PaymentEligibilityInput> = {}): PaymentEligibilityInput {
  return { payment: workPayment(), invoice: { state: 'pushed', qboInvoiceId: '130', qboCustomerId: '58' }, clientCustomerId: '58', settings, facts: us, ...overrides };
}

describe('sync invoice and payment eligibility', () => {
  describe('invoices', () => {
    it('pushes an invoice created after invoice sync was turned on, billed to the client', () => {
      expect(invoiceEligibility(invoiceInput())).to.deep.equal({ decision: 'push', customerId: '58', billedTo: 'client' });
    });

    it('bills the site\'s sub-customer when the site is linked, else the client (sites sync at onboarding only)', () => {
      const onSite = workInvoice({ siteId: 's1' });
      expect(invoiceCustomerId(onSite, { clientCustomerId: '58', siteCustomerId: '59' })).to.deep.equal({ customerId: '59', billedTo: 'site' });
      expect(invoiceCustomerId(onSite, { clientCustomerId: '58', siteCustomerId: null })).to.deep.equal({ customerId: '58', billedTo: 'client' });
      expect(invoiceCustomerId(workInvoice(), { clientCustomerId: '58', siteCustomerId: '59' })).to.deep.equal({ customerId: '58', billedTo: 'client' });
    });

    const table: Array<[string, Partial<InvoiceEligibilityInput>, string, string]> = [
      ['a past invoice (created and updated before sync was on)', { invoice: workInvoice({ createdAt: new Date('2026-10-01T00:00:00Z'), updatedAt: new Date('2026-11-14T23:59:59Z') }) }, 'skip', 'before_invoice_sync'],
      ['a deleted Work invoice (never deleted in QBO)', { invoice: null }, 'skip', 'deleted_in_work'],
      ['invoice sync off', { settings: { ...settings, invoicesEnabled: false } }, 'skip', 'invoices_off'],
      ['a client not linked yet', { links: { clientCustomerId: null, siteCustomerId: null } }, 'wait', 'client_not_linked'],
      ['no income account chosen', { settings: { ...settings, incomeAccountId: null } }, 'wait', 'income_account_missing'],
      ['an income account made inactive in QBO', { settings: { ...settings, incomeAccountId: '21' } }, 'wait', 'income_account_inactive'],
      ['an income account gone from QBO', { settings: { ...settings, incomeAccountId: '99' } }, 'wait', 'income_account_not_found'],
      ['an A/R account as income account', { settings: { ...settings, incomeAccountId: '7' } }, 'wait', 'income_account_wrong_type'],
      ['an expense account made inactive', { settings: { ...settings, expenseAccountId: '22' } }, 'wait', 'expense_account_inactive'],
      ['a bank account as expense account', { settings: { ...settings, expenseAccountId: '2' } }, 'wait', 'expense_account_wrong_type'],
      ['no tax codes outside the US', { facts: ca }, 'wait', 'taxable_tax_code_missing'],
      ['an inactive non-taxable code', { facts: ca, settings: { ...settings, taxableTaxCodeId: '4', nonTaxableTaxCodeId: '9' } }, 'wait', 'non_taxable_tax_code_inactive'],
    ];
    for (const [what, overrides, decision, reason] of table) {
      it(`${decision}s ${what}: ${reason}`, () => {
        expect(invoiceEligibility(invoiceInput(overrides))).to.deep.equal({ decision, reason });
      });
    }

    it('pushes a past invoice once it is updated after sync was turned on', () => {
      const updated = workInvoice({ createdAt: new Date('2026-10-01T00:00:00Z'), updatedAt: ON_AT });
      expect(invoiceEligibility(invoiceInput({ invoice: updated })).decision).to.equal('push');
      expect(changedSince(updated, null)).to.equal(false);
    });

    it('property: an invoice is pushed exactly when its latest change is at or after the moment sync was turned on', () => {
      const time = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') });
      fc.assert(
        fc.property(time, time, time, (created, updated, enabled) => {
          const invoice = workInvoice({ createdAt: new Date(created), updatedAt: new Date(updated) });
          const decision = invoiceEligibility(invoiceInput({ invoice, settings: { ...settings, invoicesEnabledAt: new Date(enabled) } }));
          expect(decision.decision === 'push').to.equal(Math.max(created, updated) >= enabled);
          if (decision.decision !== 'push') expect(decision).to.deep.equal({ decision: 'skip', reason: 'before_invoice_sync' });
        }),
        { numRuns: 500 },
      );
    });

    it('pushes outside the US with both tax codes chosen and active', () => {
      expect(invoiceEligibility(invoiceInput({ facts: ca, settings: { ...settings, taxableTaxCodeId: '4', nonTaxableTaxCodeId: '2' } })).decision).to.equal('push');
    });
  });

  describe('payments', () => {
    it('pushes a payment for its pushed invoice, to the invoice\'s customer', () => {
      const onSite = paymentInput({ invoice: { state: 'pushed', qboInvoiceId: '130', qboCustomerId: '59' } });
      expect(paymentEligibility(onSite)).to.deep.equal({ decision: 'push', customerId: '59', qboInvoiceId: '130' });
    });

    it('pushes a payment without an invoice to the client\'s customer', () => {
      expect(paymentEligibility(paymentInput({ payment: workPayment({ invoiceId: null }), invoice: { state: 'none' } }))).to.deep.equal({ decision: 'push', customerId: '58', qboInvoiceId: null });
    });

    const table: Array<[string, Partial<PaymentEligibilityInput>, string, string]> = [
      ['a payment whose invoice is not in QBO yet', { invoice: { state: 'pending' } }, 'wait', 'invoice_not_pushed'],
      ['a payment whose invoice will never be pushed', { invoice: { state: 'never' } }, 'skip', 'invoice_not_synced'],
      ['a deleted Work payment', { payment: null }, 'skip', 'deleted_in_work'],
      ['payment sync off', { settings: { ...settings, paymentsEnabled: false } }, 'skip', 'payments_off'],
      ['payments without invoice sync', { settings: { ...settings, invoicesEnabled: false } }, 'skip', 'payments_need_invoices'],
      ['a past payment', { payment: workPayment({ createdAt: new Date('2026-11-01T00:00:00Z'), updatedAt: new Date('2026-11-01T00:00:00Z') }) }, 'skip', 'before_payment_sync'],
      ['no deposit account', { settings: { ...settings, depositAccountId: null } }, 'wait', 'deposit_account_missing'],
      ['a deposit account made inactive in QBO', { settings: { ...settings, depositAccountId: '20' } }, 'wait', 'deposit_account_inactive'],
      ['an income account as deposit account', { settings: { ...settings, depositAccountId: '5' } }, 'wait', 'deposit_account_wrong_type'],
      ['an unapplied payment of a client not linked', { invoice: { state: 'none' }, clientCustomerId: null }, 'wait', 'client_not_linked'],
    ];
    for (const [what, overrides, decision, reason] of table) {
      it(`${decision}s ${what}: ${reason}`, () => {
        expect(paymentEligibility(paymentInput(overrides))).to.deep.equal({ decision, reason });
      });
    }
  });

  describe('push layers', () => {
    it('orders customers, sub-customers, items, invoices, payments, each in batches of at most 30', () => {
      const writes: LayeredWrite<string>[] = [];
      const add = (layer: PushLayer, n: number) => {
        for (let i = 0; i < n; i += 1) writes.push({ layer, write: `${layer}-${i}` });
      };
      add('payments', 31);
      add('invoices', 61);
      add('customers', 2);
      add('items', 1);
      const steps = planPushLayers(writes);
      expect(steps.map((s) => [s.layer, s.index, s.writes.length])).to.deep.equal([
        ['customers', 0, 2],
        ['items', 0, 1],
        ['invoices', 0, 30],
        ['invoices', 1, 30],
        ['invoices', 2, 1],
        ['payments', 0, 30],
        ['payments', 1, 1],
      ]);
      expect(steps[2]?.writes[0]).to.equal('invoices-0');
      expect(steps.flatMap((s) => s.writes)).to.have.length(writes.length);
    });

    it('refuses a batch size QBO would refuse (fault 1040)', () => {
      expect(() => planPushLayers([], 31)).to.throw(RangeError);
      expect(() => planPushLayers([], 0)).to.throw(RangeError);
    });

    it('names what each layer waits for', () => {
      expect(PUSH_LAYERS.map(layerBefore)).to.deep.equal([null, 'customers', 'sub_customers', 'items', 'invoices']);
    });
  });
});
