import { expect } from 'chai';
import crypto from 'node:crypto';
import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import { WriteIntentRepository } from '../../plugin/persistence/write-intent-repository';
import { createCustomer, customers } from '../../plugin/qbo/entities/customer';
import { createInvoice } from '../../plugin/qbo/entities/invoice';
import { QboDuplicateNameError, QboError, QboNetworkError } from '../../plugin/qbo/errors';
import { MAX_ATTEMPTS } from '../../plugin/qbo/retry-policy';
import { startSandboxClient, type SandboxClientHarness } from '../support/sandbox-qbo-client';
import { testKnex } from '../support/test-database';

/**
 * Exactly-once writes, proven by the sandbox's state: the sandbox applies the write, then drops the
 * connection instead of answering; the plugin's client retries with the requestid it committed before the
 * first send, the sandbox answers the repeat with the original response, and exactly one object exists.
 */
describe('QBO client against the sandbox: writes whose answer is lost', () => {
  let knex: Knex;
  let h: SandboxClientHarness;
  // Time scale 600: the client's 1 s, 2 s, 4 s… back-offs take a few real milliseconds.
  beforeEach(async () => {
    knex = await testKnex();
    h = await startSandboxClient(knex, { timeScale: 600 });
  });
  afterEach(() => h.close());

  const key = (what: string): string => `test:${what}:${crypto.randomUUID()}`;
  const named = (name: string) => h.sandbox.store.all(h.realmId, 'Customer').filter((c) => c['DisplayName'] === name);

  it('creates a customer once although the first answer was dropped after the write', async () => {
    const name = `Dropped Answer ${crypto.randomUUID().slice(0, 8)}`;
    const opKey = key('customer');
    h.sandbox.control.armFault({ kind: 'drop-after-write', count: 1, method: 'POST', path: '/customer$' });

    const created = await createCustomer(h.client, h.realmId, { DisplayName: name }, opKey);

    expect(named(name)).to.have.length(1);
    expect(named(name)[0]?.['Id']).to.equal(created.Id);
    const posts = h.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/customer'));
    expect(posts.map((r) => [r.status, r.injectedFault])).to.deep.equal([[null, 'drop-after-write'], [200, null]]);
    const requestIds = new Set(posts.map((r) => r.requestid));
    expect(requestIds.size).to.equal(1);
    const intent = await new WriteIntentRepository(knex).find(h.realmId, opKey);
    expect(intent?.request_id).to.equal(posts[0]?.requestid);
    expect(intent?.outcome).to.equal('applied');
    // A query over HTTP agrees with the store.
    const found = [];
    for await (const c of customers.queryAll(h.client, h.realmId, customers.select().where('DisplayName', '=', name))) found.push(c);
    expect(found.map((c) => c.Id)).to.deep.equal([created.Id]);
  });

  it('creates an invoice once although the first answer was dropped after the write', async () => {
    const customer = await createCustomer(h.client, h.realmId, { DisplayName: `Invoice Owner ${crypto.randomUUID().slice(0, 8)}` }, key('owner'));
    const docNumber = `D-${crypto.randomInt(1, 1e9)}`;
    h.sandbox.control.armFault({ kind: 'drop-after-write', count: 1, method: 'POST', path: '/invoice$' });

    const invoice = await createInvoice(
      h.client,
      h.realmId,
      {
        CustomerRef: { value: customer.Id },
        DocNumber: docNumber,
        Line: [{ Amount: new Decimal('10.01'), DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: new Decimal(3), UnitPrice: new Decimal('3.3367'), TaxCodeRef: { value: 'NON' } } }],
      },
      key('invoice'),
    );

    const stored = h.sandbox.store.all(h.realmId, 'Invoice').filter((i) => i['DocNumber'] === docNumber);
    expect(stored).to.have.length(1);
    expect(stored[0]?.['Id']).to.equal(invoice.Id);
    expect(invoice.TotalAmt.equals(new Decimal('10.01'))).to.equal(true);
    const posts = h.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/invoice'));
    expect(posts).to.have.length(2);
    expect(posts[0]?.injectedFault).to.equal('drop-after-write');
    expect(posts[0]?.requestid).to.be.a('string').and.equal(posts[1]?.requestid);
  });

  it('survives a process restart: a new client with the same operation key gets the original answer, no second customer', async () => {
    const name = `Restarted ${crypto.randomUUID().slice(0, 8)}`;
    const opKey = key('restart');
    // Every send of the first process is applied-then-dropped, so it gives up not knowing the outcome.
    h.sandbox.control.armFault({ kind: 'drop-after-write', count: MAX_ATTEMPTS, method: 'POST', path: '/customer$' });
    const failure = await createCustomer(h.client, h.realmId, { DisplayName: name }, opKey).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(QboNetworkError);
    expect((failure as QboNetworkError).outcomeUnknown).to.equal(true);
    const open = await new WriteIntentRepository(knex).find(h.realmId, opKey);
    expect(open?.outcome).to.equal(null);
    expect(named(name)).to.have.length(1); // applied on the first send, not again on the four retries

    const restarted = h.newClient();
    const created = await createCustomer(restarted, h.realmId, { DisplayName: name }, opKey);

    expect(named(name).map((c) => c['Id'])).to.deep.equal([created.Id]);
    const posts = h.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/customer'));
    expect(posts).to.have.length(MAX_ATTEMPTS + 1);
    expect(new Set(posts.map((r) => r.requestid)).size).to.equal(1);
    expect(posts.at(-1)?.status).to.equal(200);
    expect((await new WriteIntentRepository(knex).find(h.realmId, opKey))?.outcome).to.equal('applied');
  });

  it('a different operation key is a different write: the sandbox refuses the duplicate name instead of replaying', async () => {
    const name = `Twice ${crypto.randomUUID().slice(0, 8)}`;
    await createCustomer(h.client, h.realmId, { DisplayName: name }, key('first'));
    const error = await createCustomer(h.client, h.realmId, { DisplayName: name }, key('second')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(QboDuplicateNameError);
    expect(named(name)).to.have.length(1);
  });
});

describe('QBO client against the sandbox: validation faults', () => {
  let h: SandboxClientHarness;
  beforeEach(async () => {
    h = await startSandboxClient(await testKnex(), { timeScale: 600 });
  });
  afterEach(() => h.close());

  async function refusal(write: () => Promise<unknown>): Promise<QboError> {
    const error = await write().then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof QboError)) throw new Error(`expected a QboError, got ${String(error)}`);
    return error;
  }

  const opKey = (): string => `test:fault:${crypto.randomUUID()}`;

  it('gives typed, non-retried errors with code, element and intuit_tid for 6240, 2040 and 6070 (one call each)', async () => {
    const name = `Taken ${crypto.randomUUID().slice(0, 8)}`;
    const owner = await createCustomer(h.client, h.realmId, { DisplayName: name }, opKey());
    h.sandbox.control.clearRequests();

    const duplicate = await refusal(() => createCustomer(h.client, h.realmId, { DisplayName: name }, opKey()));
    const colon = await refusal(() => createCustomer(h.client, h.realmId, { DisplayName: 'Parent:Child' }, opKey()));
    const amount = await refusal(() =>
      createInvoice(
        h.client,
        h.realmId,
        { CustomerRef: { value: owner.Id }, Line: [{ Amount: new Decimal(10), DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: new Decimal(3), UnitPrice: new Decimal('3.3367') } }] },
        opKey(),
      ),
    );

    expect(duplicate).to.be.instanceOf(QboDuplicateNameError);
    expect([duplicate.code, colon.code, amount.code]).to.deep.equal(['6240', '2040', '6070']);
    for (const error of [duplicate, colon, amount]) {
      expect(error.retryable, error.code).to.equal(false);
      expect(error.httpStatus).to.equal(400);
      expect(error.intuitTid, error.code).to.be.a('string').with.length.greaterThan(0);
    }
    expect(colon.kind).to.equal('validation');
    expect(colon.element).to.equal('DisplayName');
    expect(amount.kind).to.equal('business');
    const log = h.requests();
    expect(log.map((r) => [r.method, r.path.split('/').at(-1), r.status, r.faultCode])).to.deep.equal([
      ['POST', 'customer', 400, '6240'],
      ['POST', 'customer', 400, '2040'],
      ['POST', 'invoice', 400, '6070'],
    ]);
    expect(h.sandbox.store.all(h.realmId, 'Customer').filter((c) => c['DisplayName'] === 'Parent:Child')).to.have.length(0);
  });
});
