import { expect } from 'chai';
import crypto from 'node:crypto';
import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import { WriteIntentRepository, WriteKeyReusedError } from '../../plugin/persistence/write-intent-repository';
import { createCustomer, updateCustomer } from '../../plugin/qbo/entities/customer';
import { createInvoice } from '../../plugin/qbo/entities/invoice';
import { QboDuplicateNameError, QboStaleObjectError, type QboError } from '../../plugin/qbo/errors';
import { MAX_ATTEMPTS } from '../../plugin/qbo/retry-policy';
import { EarlierWriteResolvedError } from '../../plugin/qbo/write-errors';
import { startSandboxClient, type SandboxClientHarness } from '../support/sandbox-qbo-client';
import { testKnex } from '../support/test-database';

/**
 * Issue 14, defects 2 and 3, against the QBO sandbox over HTTP on real PostgreSQL: a refused write's retry
 * gets a new requestid; the requestid belongs to a request (key + body), not to a key; an open write is
 * re-sent verbatim after a restart; one unresolved write per record.
 */
describe('write intents against the sandbox (issue 14, defects 2 and 3)', () => {
  let knex: Knex;
  let h: SandboxClientHarness;
  beforeEach(async () => {
    knex = await testKnex();
    h = await startSandboxClient(knex, { timeScale: 600 });
    // Each test starts with a new sandbox: open writes other suites left for this realm id are not ours.
    await knex('qbo_write_intents').where({ realm_id: h.realmId }).whereNull('outcome').delete();
  });
  afterEach(() => h.close());

  const key = (what: string): string => `test:${what}:${crypto.randomUUID()}`;
  const failureOf = (p: Promise<unknown>): Promise<unknown> => p.then(() => null, (e: unknown) => e);
  const customerPosts = () => h.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/customer'));

  describe('defect 2: a refused write gets a new requestid on its retry', () => {
    it('a 5010 retried under the same key with the fresh SyncToken is applied', async () => {
      const customer = await createCustomer(h.client, h.realmId, { DisplayName: `Stale ${crypto.randomUUID().slice(0, 8)}` }, key('create'));
      await updateCustomer(h.client, h.realmId, customer, { CompanyName: 'Changed in QuickBooks' }, key('other-edit'));
      const opKey = key('update');
      h.sandbox.control.clearRequests();

      const stale = await failureOf(updateCustomer(h.client, h.realmId, { Id: customer.Id, SyncToken: '0' }, { CompanyName: 'From Work' }, opKey));
      expect(stale).to.be.instanceOf(QboStaleObjectError);
      const updated = await updateCustomer(h.client, h.realmId, { Id: customer.Id, SyncToken: '1' }, { CompanyName: 'From Work' }, opKey);

      expect(updated.CompanyName).to.equal('From Work');
      expect(h.sandbox.store.all(h.realmId, 'Customer').find((c) => c['Id'] === customer.Id)?.['CompanyName']).to.equal('From Work');
      const posts = customerPosts();
      expect(posts.map((p) => [p.status, p.faultCode])).to.deep.equal([[400, '5010'], [200, null]]);
      expect(posts[1]?.requestid).to.be.a('string').and.not.equal(posts[0]?.requestid);
      expect((await new WriteIntentRepository(knex).find(h.realmId, opKey))?.outcome).to.equal('applied');
    });

    it('a 6240 retried under the same key with a suffixed name is applied', async () => {
      const name = `Taken ${crypto.randomUUID().slice(0, 8)}`;
      await createCustomer(h.client, h.realmId, { DisplayName: name }, key('owner'));
      const opKey = key('second');
      expect(await failureOf(createCustomer(h.client, h.realmId, { DisplayName: name }, opKey))).to.be.instanceOf(QboDuplicateNameError);
      const created = await createCustomer(h.client, h.realmId, { DisplayName: `${name} (2)` }, opKey);
      expect(h.sandbox.store.all(h.realmId, 'Customer').find((c) => c['Id'] === created.Id)?.['DisplayName']).to.equal(`${name} (2)`);
    });
  });

  describe('defect 3: the requestid belongs to a request, not to a key', () => {
    it('refuses the same key with a different body instead of replaying the old answer as success', async () => {
      const opKey = key('create');
      const first = await createCustomer(h.client, h.realmId, { DisplayName: `First ${crypto.randomUUID().slice(0, 8)}` }, opKey);
      const otherName = `Second ${crypto.randomUUID().slice(0, 8)}`;
      const postsBefore = customerPosts().length;

      const error = await failureOf(createCustomer(h.client, h.realmId, { DisplayName: otherName }, opKey));

      expect(error).to.be.instanceOf(WriteKeyReusedError);
      expect((error as Error).message).to.contain(opKey).and.contain('new operation key');
      expect(customerPosts()).to.have.length(postsBefore); // nothing sent
      expect(h.sandbox.store.all(h.realmId, 'Customer').filter((c) => c['DisplayName'] === otherName)).to.deep.equal([]);
      expect(h.sandbox.store.all(h.realmId, 'Customer').find((c) => c['Id'] === first.Id)?.['DisplayName']).to.equal(first.DisplayName);
      // The same key with the same body is still the same write: answered, not written again.
      expect((await createCustomer(h.client, h.realmId, { DisplayName: first.DisplayName }, opKey)).Id).to.equal(first.Id);
    });

    it('after a restart, re-sends an open write verbatim (same requestid, same body) and gets its original answer', async () => {
      const name = `Lost ${crypto.randomUUID().slice(0, 8)}`;
      const opKey = key('lost');
      const subject = `client:${crypto.randomUUID()}`;
      h.sandbox.control.armFault({ kind: 'drop-after-write', count: MAX_ATTEMPTS, method: 'POST', path: '/customer$' });
      const lost = await failureOf(createCustomer(h.client, h.realmId, { DisplayName: name, Notes: 'x'.repeat(5) }, { key: opKey, subject }));
      expect((lost as QboError).outcomeUnknown).to.equal(true);

      const restarted = h.newClient();
      const resent = await restarted.resendOpenWrites(h.realmId);

      expect(resent.map((r) => [r.operationKey, r.subject, r.ok])).to.deep.equal([[opKey, subject, true]]);
      const stored = h.sandbox.store.all(h.realmId, 'Customer').filter((c) => c['DisplayName'] === name);
      expect(stored).to.have.length(1);
      const answer = resent[0];
      expect(answer?.ok && (answer.response.body['Customer'] as { Id: string }).Id).to.equal(stored[0]?.['Id']);
      expect(new Set(customerPosts().map((p) => p.requestid)).size).to.equal(1);
      const intent = await new WriteIntentRepository(knex).find(h.realmId, opKey);
      expect(intent?.outcome).to.equal('applied');
      expect(JSON.parse(intent?.body ?? '{}')).to.deep.equal({ DisplayName: name, Notes: 'xxxxx' });
      expect(await restarted.resendOpenWrites(h.realmId)).to.deep.equal([]);
    });

    it('resolves a record\'s lost create before its edited create: one invoice, and the caller learns its Id', async () => {
      const owner = await createCustomer(h.client, h.realmId, { DisplayName: `Owner ${crypto.randomUUID().slice(0, 8)}` }, key('owner'));
      const run = crypto.randomUUID().slice(0, 8);
      const work = (amount: string) => ({
        CustomerRef: { value: owner.Id },
        PrivateNote: run,
        Line: [{ Amount: new Decimal(amount), DetailType: 'SalesItemLineDetail' as const, SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: new Decimal(1), UnitPrice: new Decimal(amount), TaxCodeRef: { value: 'NON' } } }],
      });
      const invoicesOfRun = () => h.sandbox.store.all(h.realmId, 'Invoice').filter((i) => i['PrivateNote'] === run);
      // Version 1 is applied but its answer is lost on every attempt.
      h.sandbox.control.armFault({ kind: 'drop-after-write', count: MAX_ATTEMPTS, method: 'POST', path: '/invoice$' });
      const lost = await failureOf(createInvoice(h.client, h.realmId, work('10.00'), { key: `invoice:create:${run}:1`, subject: `invoice:${run}` }));
      expect((lost as QboError).outcomeUnknown).to.equal(true);

      // The invoice is edited in Work before the retry: version 2, a new key, the same record.
      const error = await failureOf(createInvoice(h.client, h.realmId, work('12.00'), { key: `invoice:create:${run}:2`, subject: `invoice:${run}` }));

      expect(error).to.be.instanceOf(EarlierWriteResolvedError);
      const resolved = error as EarlierWriteResolvedError;
      expect(resolved.earlierOperationKey).to.equal(`invoice:create:${run}:1`);
      expect(invoicesOfRun()).to.have.length(1);
      expect((resolved.response.body['Invoice'] as { Id: string }).Id).to.equal(invoicesOfRun()[0]?.['Id']);
      expect((await new WriteIntentRepository(knex).find(h.realmId, `invoice:create:${run}:2`))).to.equal(undefined);
    });
  });
});
