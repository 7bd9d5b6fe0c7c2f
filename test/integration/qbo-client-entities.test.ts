import { expect } from 'chai';
import crypto from 'node:crypto';
import Decimal from 'decimal.js';
import pino from 'pino';
import { createCustomer, createInvoice, createPayment, findCustomerByDisplayName, updateInvoice } from '../../plugin/qbo/entities';
import { QboStaleObjectError } from '../../plugin/qbo/errors';
import { QboHttpClient } from '../../plugin/qbo/http-client';
import { QboRateLimiter } from '../../plugin/qbo/rate-limiter';
import { WriteIntentRepository } from '../../plugin/persistence/write-intent-repository';
import { FakeTokenProvider, QboFakeServer, replyFromRecording } from '../support/qbo-fake-server';
import { loadRecording } from '../support/recordings';
import { testKnex } from '../support/test-database';

/** Entity helpers through the real client and HTTP: Decimal in, exact numbers on the wire, Decimal out. */
describe('QBO entity helpers over HTTP', () => {
  let server: QboFakeServer;
  let client: QboHttpClient;
  const realmId = String(crypto.randomInt(1, 2 ** 47));

  beforeEach(async () => {
    server = await QboFakeServer.start();
    client = new QboHttpClient({
      tokens: new FakeTokenProvider(),
      writeIntents: new WriteIntentRepository(await testKnex()),
      limiter: new QboRateLimiter(),
      logger: pino({ level: 'silent' }),
      apiBaseUrl: server.baseUrl,
    });
  });
  afterEach(async () => {
    await server.stop();
  });

  it('creates an invoice from Decimal amounts and reads the answer back as Decimals', async () => {
    const rec = loadRecording('invoice-create--1.json');
    server.enqueue(replyFromRecording(rec));
    const invoice = await createInvoice(
      client,
      realmId,
      {
        CustomerRef: { value: '1' },
        Line: [
          {
            Amount: new Decimal('0.1').plus('0.2'),
            DetailType: 'SalesItemLineDetail',
            SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: new Decimal('3'), UnitPrice: new Decimal('0.1'), TaxCodeRef: { value: 'NON' } },
          },
        ],
      },
      `invoice:create:${realmId}:1`,
    );
    const sent = server.requests[0];
    expect(sent?.path).to.equal(`/v3/company/${realmId}/invoice`);
    expect(sent?.body).to.equal(
      '{"CustomerRef":{"value":"1"},"Line":[{"Amount":0.3,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"value":"1"},"Qty":3,"UnitPrice":0.1,"TaxCodeRef":{"value":"NON"}}}]}',
    );
    expect(Decimal.isDecimal(invoice.TotalAmt)).to.equal(true);
    const recorded = (rec.response.body as { Invoice: { TotalAmt: number } }).Invoice.TotalAmt;
    expect(invoice.TotalAmt.equals(new Decimal(String(recorded)))).to.equal(true);
  });

  it('creates a customer and a payment applied to an invoice', async () => {
    server.enqueue(replyFromRecording(loadRecording('customer-create--3.json')));
    const customer = await createCustomer(client, realmId, { DisplayName: "O'Brien & Sons", PrimaryEmailAddr: { Address: 'a@b.co' } }, `client:create:${realmId}:1`);
    expect(customer.Id).to.be.a('string');

    server.enqueue({ status: 200, body: { Payment: { Id: '90', SyncToken: '0', TotalAmt: 1234.56, CustomerRef: { value: customer.Id }, Line: [{ Amount: 1234.56, LinkedTxn: [{ TxnId: '264', TxnType: 'Invoice' }] }] } } });
    const payment = await createPayment(
      client,
      realmId,
      { CustomerRef: { value: customer.Id }, TotalAmt: new Decimal('1234.56'), Line: [{ Amount: new Decimal('1234.56'), LinkedTxn: [{ TxnId: '264', TxnType: 'Invoice' }] }] },
      `payment:create:${realmId}:1`,
    );
    expect(server.requests[1]?.body).to.include('"TotalAmt":1234.56');
    expect(payment.TotalAmt.toFixed(2)).to.equal('1234.56');
  });

  it('surfaces a stale SyncToken on update as QboStaleObjectError, without retrying', async () => {
    server.enqueue({
      status: 400,
      headers: { intuit_tid: 'tid-stale' },
      body: { Fault: { Error: [{ Message: 'Stale Object Error', Detail: 'Stale Object Error : You and x were working on this at the same time.', code: '5010', element: '' }], type: 'ValidationFault' } },
    });
    const error = await updateInvoice(client, realmId, { Id: '264', SyncToken: '0' }, { PrivateNote: 'x' }, `invoice:update:${realmId}:2`).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(QboStaleObjectError);
    expect(server.requests).to.have.length(1);
    expect(JSON.parse(server.requests[0]?.body ?? '{}')).to.deep.equal({ PrivateNote: 'x', Id: '264', SyncToken: '0', sparse: true });
  });

  it('finds a customer by a name with an apostrophe, sent as QBO accepted it', async () => {
    const rec = loadRecording('query-escaping--2.json');
    server.enqueue(replyFromRecording(rec));
    const amy = await findCustomerByDisplayName(client, realmId, "Amy's Bird Sanctuary");
    expect(amy?.Id).to.equal('1');
    expect(server.requests[0]?.query['query']).to.equal(`${String(rec.request.query?.['query'])} AND Active IN (true, false) MAXRESULTS 1 STARTPOSITION 1`);
  });
});
