import { expect } from 'chai';
import Decimal from 'decimal.js';
import {
  accounts,
  canReceiveDeposits,
  customers,
  deactivateCustomer,
  decimalSchema,
  findCustomerByDisplayName,
  invoices,
  items,
  offeringSku,
  payments,
  readCompanyInfo,
  readPreferences,
  subscriptionStatus,
  syncRelevantPreferences,
  voidInvoice,
  voidPayment,
  type EntityClient,
} from '../../plugin/qbo/entities';
import { QboUnexpectedResponseError } from '../../plugin/qbo/errors';
import type { QboResponse, WriteOptions, WriteResponse } from '../../plugin/qbo/http-client';
import { QboQuery } from '../../plugin/qbo/query';
import { loadRecording, recordingsOfTopic } from '../support/recordings';

interface Call {
  method: 'GET' | 'POST' | 'QUERY';
  segments: readonly string[];
  query?: Record<string, string> | undefined;
  body?: unknown;
  options?: WriteOptions;
  statement?: string;
}

/** Answers every call with the next body given, and records what was asked. */
function clientAnswering(...bodies: unknown[]): { client: EntityClient; calls: Call[] } {
  const calls: Call[] = [];
  const next = (): QboResponse => ({ status: 200, body: bodies.shift() as Record<string, unknown>, intuitTid: 'tid', attempts: 1 });
  const client: EntityClient = {
    get: (_realmId, segments, query) => (calls.push({ method: 'GET', segments, query: query ? { ...query } : undefined }), Promise.resolve(next())),
    post: (_realmId, segments, body, options): Promise<WriteResponse> => (
      calls.push({ method: 'POST', segments, body, options }), Promise.resolve({ ...next(), requestId: 'r' })
    ),
    query: (_realmId, statement) => (calls.push({ method: 'QUERY', segments: ['query'], statement }), Promise.resolve(next())),
  };
  return { client, calls };
}

const body = (file: string) => loadRecording(file).response.body;

describe('QBO entity modules on recorded responses', () => {
  it('reads every recorded customer, money as Decimal, unknown fields kept', async () => {
    const recs = recordingsOfTopic('customer-read');
    expect(recs.length).to.be.at.least(4);
    for (const rec of recs) {
      const { client, calls } = clientAnswering(rec.response.body);
      const id = rec.request.path.split('/').pop() ?? '';
      const customer = await customers.read(client, '1', id);
      expect(customer.Id, rec.file).to.equal(id);
      expect(customer.Balance === undefined || Decimal.isDecimal(customer.Balance), rec.file).to.equal(true);
      expect(calls[0]?.segments).to.deep.equal(['customer', id]);
    }
    const { client } = clientAnswering(body('customer-read--1.json'));
    const jane = await customers.read(client, '1', '68');
    expect(jane.DisplayName).to.equal('Doe2, Jane');
    expect((jane as Record<string, unknown>)['PreferredDeliveryMethod']).to.equal('Print');
  });

  it('reads recorded invoices with exact Decimal amounts', async () => {
    const { client } = clientAnswering(body('invoice-read--1.json'));
    const invoice = await invoices.read(client, '1', '264');
    expect(invoice.TotalAmt.equals(100)).to.equal(true);
    expect(invoice.Line[0]?.Amount.toFixed(2)).to.equal('100.00');
    expect(invoice.CustomerRef.value).to.equal('1');
    for (const rec of [...recordingsOfTopic('invoice-read'), ...recordingsOfTopic('invoice-create')]) {
      expect(() => invoices.fromResponse({ status: 200, body: rec.response.body as Record<string, unknown>, intuitTid: null, attempts: 1 }), rec.file).not.to.throw();
    }
  });

  it('creates with an operation key and refuses an Id on create', async () => {
    const rec = loadRecording('invoice-create--1.json');
    const { client, calls } = clientAnswering(rec.response.body);
    const created = await invoices.create(client, '1', rec.request.body as Record<string, unknown>, 'invoice:create:5:1');
    expect(created.Id).to.be.a('string');
    expect(calls[0]).to.deep.include({ method: 'POST', segments: ['invoice'], body: rec.request.body });
    expect(calls[0]?.options).to.deep.equal({ operationKey: 'invoice:create:5:1' });
    const refused = await invoices.create(client, '1', { Id: '1' }, 'k').then(() => null, (e: Error) => e);
    expect(refused?.message).to.match(/must not carry an Id/);
  });

  it('sends sparse updates with Id and SyncToken; deactivates customers instead of deleting', async () => {
    const rec = loadRecording('customer-read--1.json');
    const { client, calls } = clientAnswering(rec.response.body, rec.response.body);
    await customers.sparseUpdate(client, '1', { Id: '68', SyncToken: '0' }, { Notes: 'x' }, 'client:update:1:2');
    expect(calls[0]?.body).to.deep.equal({ Notes: 'x', Id: '68', SyncToken: '0', sparse: true });
    await deactivateCustomer(client, '1', { Id: '68', SyncToken: '1' }, 'client:deactivate:1:3');
    expect(calls[1]?.body).to.deep.equal({ Active: false, Id: '68', SyncToken: '1', sparse: true });
  });

  it('voids an invoice (operation=void) and reads the recorded zeroed invoice', async () => {
    const rec = loadRecording('invoice-void--1.json');
    const { client, calls } = clientAnswering(rec.response.body);
    const voided = await voidInvoice(client, '1', { Id: '264', SyncToken: '0' }, 'invoice:void:1:1');
    expect(voided.TotalAmt.isZero()).to.equal(true);
    expect(voided.SyncToken).to.equal('1');
    expect(calls[0]?.body).to.deep.equal(rec.request.body);
    expect(calls[0]?.options?.query).to.deep.equal({ operation: 'void' });
  });

  it('deletes an invoice and reads the recorded Deleted answer', async () => {
    const { client, calls } = clientAnswering(body('invoice-delete--1.json'));
    const deleted = await invoices.delete(client, '1', { Id: '266', SyncToken: '0' }, 'invoice:delete:1:1');
    expect(deleted).to.deep.include({ Id: '266', status: 'Deleted' });
    expect(calls[0]?.options?.query).to.deep.equal({ operation: 'delete' });
  });

  it('voids a payment with a sparse update and include=void', async () => {
    const paymentBody = { Payment: { Id: '9', SyncToken: '2', TotalAmt: 0, CustomerRef: { value: '1' }, Line: [] } };
    const { client, calls } = clientAnswering(paymentBody);
    const voided = await voidPayment(client, '1', { Id: '9', SyncToken: '1' }, 'payment:void:1:1');
    expect(voided.TotalAmt.isZero()).to.equal(true);
    expect(calls[0]?.options?.query).to.deep.equal({ operation: 'update', include: 'void' });
    expect(calls[0]?.body).to.deep.equal({ Id: '9', SyncToken: '1', sparse: true });
  });

  it('parses a payment applied to an invoice, amounts exact', () => {
    const payment = payments.fromResponse({
      status: 200,
      intuitTid: null,
      attempts: 1,
      body: { Payment: { Id: '9', SyncToken: '0', TotalAmt: 337.5, UnappliedAmt: 0, CustomerRef: { value: '1' }, Line: [{ Amount: 337.5, LinkedTxn: [{ TxnId: '49', TxnType: 'Invoice' }] }] } },
    });
    expect(payment.TotalAmt.toFixed()).to.equal('337.5');
    expect(payment.Line?.[0]?.LinkedTxn?.[0]?.TxnId).to.equal('49');
  });

  it('reads the recorded account and knows which types take deposits', async () => {
    const { client } = clientAnswering(body('account-read--1.json'));
    const account = await accounts.read(client, '1', '5');
    expect(account.AccountType).to.equal('Income');
    expect(account.CurrentBalance?.isZero()).to.equal(true);
    expect(canReceiveDeposits(account)).to.equal(false);
    expect(canReceiveDeposits({ AccountType: 'Bank' })).to.equal(true);
  });

  it('reads the recorded company info: country, OfferingSku, subscription status', async () => {
    const { client, calls } = clientAnswering(body('companyinfo-read--1.json'));
    const info = await readCompanyInfo(client, '4620816365037572');
    expect(calls[0]?.segments).to.deep.equal(['companyinfo', '4620816365037572']);
    expect(info.Country).to.equal('US');
    expect(offeringSku(info)).to.equal('QuickBooks Online Plus');
    expect(subscriptionStatus(info)).to.equal('TRIAL');
  });

  it('reads preferences the sync depends on, absent ones as null', async () => {
    const { client } = clientAnswering({
      Preferences: { Id: '1', SyncToken: '3', SalesFormsPrefs: { CustomTxnNumbers: true }, CurrencyPrefs: { HomeCurrency: { value: 'USD' } }, OtherPrefs: {} },
    });
    expect(syncRelevantPreferences(await readPreferences(client, '1'))).to.deep.equal({
      customTxnNumbers: true,
      usingSalesTax: null,
      partnerTaxEnabled: null,
      multiCurrencyEnabled: null,
      homeCurrency: 'USD',
    });
  });

  it('queries every customer of the recorded page', async () => {
    const { client, calls } = clientAnswering(body('query-basic--1.json'));
    const all = [];
    for await (const c of customers.queryAll(client, '1', customers.select())) all.push(c);
    expect(all).to.have.length(41);
    expect(calls[0]?.statement).to.equal('SELECT * FROM Customer ORDERBY Id ASC MAXRESULTS 1000 STARTPOSITION 1');
  });

  it('finds a customer by display name with one escaped, limited query over active and inactive', async () => {
    const { client, calls } = clientAnswering(body('query-escaping--2.json'));
    const amy = await findCustomerByDisplayName(client, '1', "Amy's Bird Sanctuary");
    expect(amy?.DisplayName).to.equal("Amy's Bird Sanctuary");
    expect(calls[0]?.statement).to.equal("SELECT * FROM Customer WHERE DisplayName = 'Amy\\'s Bird Sanctuary' AND Active IN (true, false) MAXRESULTS 1 STARTPOSITION 1");
    const none = clientAnswering({ QueryResponse: {} });
    expect(await customers.queryFirst(none.client, '1', customers.select())).to.equal(null);
  });

  it('refuses a query over another entity', async () => {
    const { client } = clientAnswering({});
    const error = await items.queryFirst(client, '1', QboQuery.select('Customer')).then(() => null, (e: Error) => e);
    expect(error?.message).to.match(/not Item/);
  });

  it('reports a response of the wrong shape by field names, never values', () => {
    const error = (() => {
      try {
        invoices.fromResponse({ status: 200, intuitTid: 'tid-x', attempts: 1, body: { Invoice: { Id: '1', SyncToken: '0', CustomerRef: { value: 'secret-ish' }, Line: [], TotalAmt: 'abc' } } });
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(error).to.be.instanceOf(QboUnexpectedResponseError);
    expect((error as QboUnexpectedResponseError).message).to.include('TotalAmt');
    expect((error as QboUnexpectedResponseError).message).not.to.include('abc');
    expect((error as QboUnexpectedResponseError).intuitTid).to.equal('tid-x');
  });

  it('refuses non-numeric ids before calling QBO', async () => {
    const { client, calls } = clientAnswering({});
    const error = await customers.read(client, '1', '1/../2').then(() => null, (e: Error) => e);
    expect(error?.message).to.match(/digits/);
    expect(calls).to.have.length(0);
  });
});

describe('decimalSchema', () => {
  it('turns JSON numbers and strings into exact Decimals', () => {
    expect(decimalSchema.parse(0.1).toFixed()).to.equal('0.1');
    expect(decimalSchema.parse(337.5).plus(decimalSchema.parse(0.2)).toFixed()).to.equal('337.7');
    expect(decimalSchema.parse('1234567.89').toFixed(2)).to.equal('1234567.89');
  });

  it('rejects what is not a finite number', () => {
    for (const bad of ['abc', Number.NaN, Number.POSITIVE_INFINITY, 'Infinity']) expect(decimalSchema.safeParse(bad).success, String(bad)).to.equal(false);
  });
});
