import { expect } from 'chai';
import type { Knex } from 'knex';
import request from 'supertest';
import type { WorkApp } from '../../dev/host/app';
import type { WorkClient } from '../../plugin/host/work-records';
import { messages } from '../../dev/host/web/messages';
import { testKnex } from '../support/test-database';
import { insertAccount, someClient } from './standin-fixtures';
import { problemsOn, rowCounts, signIn, startAcmeWork, tokenFor, type Agent } from './standin-web-support';

type Fields = Record<string, string>;

function invoiceFields(clientId: string, overrides: Fields = {}): Fields {
  return {
    clientId,
    siteId: '',
    number: 'INV-100',
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
    taxRate: '8.875',
    notes: '',
    'lines[0][description]': 'Labour',
    'lines[0][itemId]': '',
    'lines[0][quantity]': '2.5',
    'lines[0][unitPrice]': '85.1234',
    'lines[0][taxable]': 'on',
    'lines[1][description]': 'Call-out fee',
    'lines[1][itemId]': '',
    'lines[1][quantity]': '1',
    'lines[1][unitPrice]': '45',
    // An empty row, as the form always shows some: it is skipped.
    'lines[2][description]': '',
    'lines[2][itemId]': '',
    'lines[2][quantity]': '',
    'lines[2][unitPrice]': '',
    ...overrides,
  };
}

describe('stand-in pages: invoices and payments', () => {
  let knex: Knex;
  let work: WorkApp;
  let agent: Agent;
  let accountId: string;
  let otherAccountId: string;
  let client: WorkClient;

  before(async () => {
    knex = await testKnex();
  });

  beforeEach(async () => {
    const acme = await startAcmeWork(knex);
    ({ work, accountId } = acme);
    otherAccountId = await insertAccount(knex, 'Other Tenant');
    const { admin } = acme;
    client = await work.models.clients.create(accountId, someClient);
    agent = request.agent(work.app);
    await signIn(agent, admin.email, admin.password);
  });

  afterEach(async () => {
    await work.plugin.stop();
  });

  async function post(path: string, fields: Fields) {
    const _csrf = await tokenFor(agent, '/invoices/new');
    return agent.post(path).type('form').send({ _csrf, ...fields });
  }

  describe('invoices', () => {
    it('creates an invoice with lines, storing each line’s unrounded tax and the totals', async () => {
      const res = await post('/invoices', invoiceFields(client.id));
      expect(res.status).to.equal(303);
      const [invoice] = await work.models.invoices.list(accountId);
      expect(res.headers.location).to.equal(`/invoices/${invoice?.id}`);
      expect(invoice).to.include({ clientId: client.id, number: 'INV-100', issueDate: '2026-03-01', dueDate: '2026-03-31' });
      const stored = await knex('invoice_lines').orderBy('position').select('position', 'description', 'quantity', 'unit_price', 'taxable', 'tax_rate', 'tax_amount');
      // 2.5 × 85.1234 = 212.8085; × 8.875 % = 18.886754375, kept unrounded.
      expect(stored).to.deep.equal([
        { position: 1, description: 'Labour', quantity: '2.5000', unit_price: '85.1234', taxable: true, tax_rate: '8.8750', tax_amount: '18.886754375' },
        { position: 2, description: 'Call-out fee', quantity: '1.0000', unit_price: '45.0000', taxable: false, tax_rate: '8.8750', tax_amount: '0.0000' },
      ]);
      expect(invoice).to.include({ subtotal: '257.8085', taxTotal: '18.886754375', total: '276.695254375' });
      const page = await agent.get(res.headers.location ?? '').expect(200);
      expect(page.text).to.match(/id="invoice-subtotal">257\.81</);
      expect(page.text).to.match(/id="invoice-tax">18\.89</);
      expect(page.text).to.match(/id="invoice-total">276\.70</);
      const outbox = await knex('qbo_outbox').where({ entity: 'invoice' }).select('record_id', 'action');
      expect(outbox).to.deep.equal([{ record_id: invoice?.id, action: 'created' }]);
    });

    it('replaces the lines when an invoice is edited', async () => {
      await post('/invoices', invoiceFields(client.id)).then((r) => expect(r.status).to.equal(303));
      const [invoice] = await work.models.invoices.list(accountId);
      const res = await post(`/invoices/${invoice?.id}`, {
        ...invoiceFields(client.id, { number: 'INV-100', 'lines[0][description]': 'Only line', 'lines[0][quantity]': '1', 'lines[0][unitPrice]': '10' }),
        'lines[1][description]': '', 'lines[1][quantity]': '', 'lines[1][unitPrice]': '',
      });
      expect(res.status).to.equal(303);
      const after = await work.models.invoices.get(accountId, invoice?.id ?? '');
      expect(after?.lines.map((l) => [l.description, l.quantity, l.unitPrice, l.taxAmount])).to.deep.equal([['Only line', '1.0000', '10.0000', '0.8875']]);
      expect(await knex('invoice_lines').count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '1' }]);
    });

    const badInvoices: [string, Fields, string, string?][] = [
      ['a unit price with 5 decimals', { 'lines[0][unitPrice]': '12.34567' }, messages.lineProblem(1, messages.tooManyDecimals('Unit price', 4)), '12.34567'],
      ['a quantity that is not a number', { 'lines[1][quantity]': 'abc' }, messages.lineProblem(2, messages.notANumber('Quantity')), 'abc'],
      ['a zero quantity', { 'lines[0][quantity]': '0' }, messages.lineProblem(1, messages.mustBePositive('Quantity'))],
      ['a negative unit price', { 'lines[0][unitPrice]': '-5' }, messages.lineProblem(1, messages.notNegative('Unit price'))],
      ['a line without a description', { 'lines[0][description]': '' }, messages.lineProblem(1, messages.required('Description'))],
      ['an issue date that does not exist', { issueDate: '2026-02-30' }, messages.notARealDate('Issue date', '2026-02-30'), '2026-02-30'],
      ['a due date in the wrong format', { dueDate: '03/31/2026' }, messages.notADate('Due date')],
      ['a due date before the issue date', { dueDate: '2026-02-01' }, messages.dueBeforeIssue],
      ['no invoice number', { number: '' }, messages.required('Invoice number')],
      ['no client', { clientId: '' }, messages.required('Client')],
      ['a tax rate of 100 %', { taxRate: '100' }, messages.mustBeBelow('Tax rate', '100')],
      ['a tax rate with 5 decimals', { taxRate: '8.12345' }, messages.tooManyDecimals('Tax rate', 4)],
    ];
    for (const [what, overrides, message, echoed] of badInvoices) {
      it(`refuses an invoice with ${what}: 422, a clear message, nothing saved`, async () => {
        const before = await rowCounts(knex);
        const res = await post('/invoices', invoiceFields(client.id, overrides));
        expect(res.status).to.equal(422);
        expect(problemsOn(res.text)).to.include(message);
        expect(res.text).to.contain(`value="${overrides.number ?? 'INV-100'}"`);
        if (echoed) expect(res.text).to.contain(`value="${echoed}"`);
        expect(await rowCounts(knex)).to.deep.equal(before);
      });
    }

    it('shows a faulty line under its own row number, keeping an empty row above it in place', async () => {
      const res = await post('/invoices', invoiceFields(client.id, {
        'lines[0][description]': '', 'lines[0][quantity]': '', 'lines[0][unitPrice]': '', 'lines[0][taxable]': '',
        'lines[1][unitPrice]': '1.23456',
      }));
      expect(res.status).to.equal(422);
      const message = messages.lineProblem(2, messages.tooManyDecimals('Unit price', 4));
      expect(res.text).to.contain(`<td colspan="5" class="field-error">${message}</td>`);
      expect(res.text).to.match(/name="lines\[1\]\[unitPrice\]" value="1\.23456"/);
    });

    it('refuses an invoice without any line', async () => {
      const fields = invoiceFields(client.id);
      for (const k of Object.keys(fields)) if (k.startsWith('lines[')) fields[k] = '';
      const res = await post('/invoices', fields);
      expect(res.status).to.equal(422);
      expect(problemsOn(res.text)).to.include(messages.invoiceNeedsLine);
    });

    it('refuses a number already used in the account, and keeps the entered lines', async () => {
      await post('/invoices', invoiceFields(client.id)).then((r) => expect(r.status).to.equal(303));
      const before = await rowCounts(knex);
      const res = await post('/invoices', invoiceFields(client.id, { 'lines[0][description]': 'Second try' }));
      expect(res.status).to.equal(422);
      expect(problemsOn(res.text)).to.include(messages.invoiceNumberTaken('INV-100'));
      expect(res.text).to.contain('value="Second try"');
      expect(await rowCounts(knex)).to.deep.equal(before);
    });

    it('refuses a site of another client with 422', async () => {
      const other = await work.models.clients.create(accountId, { ...someClient, companyName: 'Other' });
      const site = await work.models.sites.create(accountId, other.id, { name: 'Theirs', contactName: null, email: null, phone: null, active: true, address: { line1: null, line2: null, city: null, state: null, postalCode: null, country: null } });
      const before = await rowCounts(knex);
      const res = await post('/invoices', invoiceFields(client.id, { siteId: site.id }));
      expect(res.status).to.equal(422);
      expect(problemsOn(res.text)).to.include(messages.siteOfOtherClient);
      expect(await rowCounts(knex)).to.deep.equal(before);
    });

    it("answers 404 for another account's client, item or invoice, saving nothing", async () => {
      const foreignClient = await work.models.clients.create(otherAccountId, someClient);
      const foreignItem = await work.models.items.create(otherAccountId, { name: 'Theirs', description: null, sku: null, kind: 'service', unitPrice: null, taxable: false, active: true });
      const foreignInvoice = await work.models.invoices.create(otherAccountId, {
        clientId: foreignClient.id, siteId: null, number: 'X-1', issueDate: '2026-01-01', dueDate: null, notes: null, taxRate: '0',
        lines: [{ itemId: null, description: 'x', quantity: '1', unitPrice: '1', taxable: false }],
      });
      const before = await rowCounts(knex);
      expect((await post('/invoices', invoiceFields(foreignClient.id))).status).to.equal(404);
      expect((await post('/invoices', invoiceFields(client.id, { 'lines[1][itemId]': foreignItem.id }))).status).to.equal(404);
      expect((await post(`/invoices/${foreignInvoice.id}`, invoiceFields(client.id))).status).to.equal(404);
      await agent.get(`/invoices/${foreignInvoice.id}`).expect(404);
      await agent.get(`/invoices/${foreignInvoice.id}/edit`).expect(404);
      expect(await rowCounts(knex)).to.deep.equal(before);
    });
  });

  describe('payments', () => {
    async function anInvoice(clientId: string, number = 'INV-1') {
      return work.models.invoices.create(accountId, {
        clientId, siteId: null, number, issueDate: '2026-03-01', dueDate: null, notes: null, taxRate: '0',
        lines: [{ itemId: null, description: 'Work', quantity: '1', unitPrice: '100', taxable: false }],
      });
    }

    function paymentFields(overrides: Fields = {}): Fields {
      return { clientId: client.id, invoiceId: '', amount: '40.50', paidOn: '2026-03-05', method: 'Check', reference: 'CHK 1001', ...overrides };
    }

    it('records a payment against an invoice through the form', async () => {
      const invoice = await anInvoice(client.id);
      const res = await post('/payments', paymentFields({ invoiceId: invoice.id }));
      expect(res.status).to.equal(303);
      const [payment] = await work.models.payments.list(accountId);
      expect(payment).to.include({ clientId: client.id, invoiceId: invoice.id, amount: '40.50', paidOn: '2026-03-05', method: 'Check', reference: 'CHK 1001' });
      const page = await agent.get('/payments').expect(200);
      expect(page.text).to.contain('CHK 1001');
      const outbox = await knex('qbo_outbox').where({ entity: 'payment' }).select('record_id', 'action');
      expect(outbox).to.deep.equal([{ record_id: payment?.id, action: 'created' }]);
    });

    it('edits a payment', async () => {
      const payment = await work.models.payments.create(accountId, { clientId: client.id, invoiceId: null, amount: '10.00', paidOn: '2026-03-01', method: null, reference: null });
      const res = await post(`/payments/${payment.id}`, paymentFields({ amount: '12', method: '' }));
      expect(res.status).to.equal(303);
      expect(await work.models.payments.get(accountId, payment.id)).to.include({ amount: '12.00', method: null });
    });

    it('prefills the client when recording a payment from an invoice', async () => {
      const invoice = await anInvoice(client.id);
      const res = await agent.get(`/payments/new?invoiceId=${invoice.id}`).expect(200);
      expect(res.text).to.contain(`<option value="${client.id}" selected>`);
      expect(res.text).to.match(new RegExp(`<option value="${invoice.id}" selected>INV-1 `));
    });

    it('deletes a payment after confirmation, and the plugin hears of it', async () => {
      const payment = await work.models.payments.create(accountId, { clientId: client.id, invoiceId: null, amount: '10.00', paidOn: '2026-03-01', method: null, reference: null });
      const confirm = await agent.get(`/payments/${payment.id}/delete`).expect(200);
      expect(confirm.text).to.contain(messages.confirmDeletePayment('10.00', '2026-03-01'));
      expect(await work.models.payments.get(accountId, payment.id)).to.not.equal(null);
      const res = await post(`/payments/${payment.id}/delete`, {});
      expect(res.status).to.equal(303);
      expect(await work.models.payments.get(accountId, payment.id)).to.equal(null);
      const outbox = await knex('qbo_outbox').where({ entity: 'payment', record_id: payment.id }).select('action');
      expect(outbox).to.deep.equal([{ action: 'deleted' }]);
    });

    it("answers 404 when deleting another account's payment or invoice", async () => {
      const foreignClient = await work.models.clients.create(otherAccountId, someClient);
      const foreignPayment = await work.models.payments.create(otherAccountId, { clientId: foreignClient.id, invoiceId: null, amount: '5.00', paidOn: '2026-01-01', method: null, reference: null });
      await agent.get(`/payments/${foreignPayment.id}/delete`).expect(404);
      expect((await post(`/payments/${foreignPayment.id}/delete`, {})).status).to.equal(404);
      expect(await work.models.payments.get(otherAccountId, foreignPayment.id)).to.not.equal(null);
    });

    it('keeps an invoice that has payments, saying why (409), and deletes one without', async () => {
      const paid = await anInvoice(client.id, 'INV-PAID');
      await work.models.payments.create(accountId, { clientId: client.id, invoiceId: paid.id, amount: '10.00', paidOn: '2026-03-01', method: null, reference: null });
      const refused = await post(`/invoices/${paid.id}/delete`, {});
      expect(refused.status).to.equal(409);
      expect(refused.text).to.contain(messages.invoiceHasPayments);
      expect(await work.models.invoices.get(accountId, paid.id)).to.not.equal(null);
      const unpaid = await anInvoice(client.id, 'INV-UNPAID');
      expect((await post(`/invoices/${unpaid.id}/delete`, {})).status).to.equal(303);
      expect(await work.models.invoices.get(accountId, unpaid.id)).to.equal(null);
      expect(await knex('invoice_lines').where({ invoice_id: unpaid.id }).first()).to.equal(undefined);
    });

    const badPayments: [string, Fields, string][] = [
      ['an amount of 0', { amount: '0' }, messages.mustBePositive('Amount')],
      ['an amount with 3 decimals', { amount: '12.345' }, messages.tooManyDecimals('Amount', 2)],
      ['an amount that is not a number', { amount: '12,50' }, messages.notANumber('Amount')],
      ['no amount', { amount: '' }, messages.required('Amount')],
      ['a date that does not exist', { paidOn: '2026-02-30' }, messages.notARealDate('Payment date', '2026-02-30')],
      ['an unknown method', { method: 'Bitcoin' }, messages.unknownPaymentMethod],
      ['no client', { clientId: '' }, messages.required('Client')],
    ];
    for (const [what, overrides, message] of badPayments) {
      it(`refuses a payment with ${what}: 422, a clear message, nothing saved`, async () => {
        const before = await rowCounts(knex);
        const res = await post('/payments', paymentFields(overrides));
        expect(res.status).to.equal(422);
        expect(problemsOn(res.text)).to.include(message);
        expect(res.text).to.contain('value="CHK 1001"');
        expect(await rowCounts(knex)).to.deep.equal(before);
      });
    }

    it('refuses an invoice of another client with 422', async () => {
      const other = await work.models.clients.create(accountId, { ...someClient, companyName: 'Other' });
      const invoice = await anInvoice(other.id);
      const before = await rowCounts(knex);
      const res = await post('/payments', paymentFields({ invoiceId: invoice.id }));
      expect(res.status).to.equal(422);
      expect(problemsOn(res.text)).to.include(messages.invoiceOfOtherClient);
      expect(await rowCounts(knex)).to.deep.equal(before);
    });

    it("answers 404 for another account's client, invoice or payment, saving nothing", async () => {
      const foreignClient = await work.models.clients.create(otherAccountId, someClient);
      const foreignPayment = await work.models.payments.create(otherAccountId, { clientId: foreignClient.id, invoiceId: null, amount: '5.00', paidOn: '2026-01-01', method: null, reference: null });
      const foreignInvoice = await work.models.invoices.create(otherAccountId, {
        clientId: foreignClient.id, siteId: null, number: 'X-1', issueDate: '2026-01-01', dueDate: null, notes: null, taxRate: '0',
        lines: [{ itemId: null, description: 'x', quantity: '1', unitPrice: '1', taxable: false }],
      });
      const before = await rowCounts(knex);
      expect((await post('/payments', paymentFields({ clientId: foreignClient.id }))).status).to.equal(404);
      expect((await post('/payments', paymentFields({ invoiceId: foreignInvoice.id }))).status).to.equal(404);
      expect((await post(`/payments/${foreignPayment.id}`, paymentFields())).status).to.equal(404);
      await agent.get(`/payments/${foreignPayment.id}/edit`).expect(404);
      expect(await rowCounts(knex)).to.deep.equal(before);
      expect((await work.models.payments.get(otherAccountId, foreignPayment.id))?.amount).to.equal('5.00');
    });
  });
});
