import { expect } from 'chai';
import crypto from 'node:crypto';
import { runBatch, type BatchItemRequest } from '../../plugin/qbo/batch';
import { fetchChanges } from '../../plugin/qbo/cdc';
import { createCustomer, customers, findCustomerByDisplayName, updateCustomer } from '../../plugin/qbo/entities/customer';
import { QboDuplicateNameError } from '../../plugin/qbo/errors';
import { startSandboxClient, type SandboxClientHarness } from '../support/sandbox-qbo-client';
import { testKnex } from '../support/test-database';

/** Paging, escaping, batch and CDC through the plugin's client against the sandbox's strict API. */
describe('QBO client against the sandbox: paging, escaping, batch and CDC', () => {
  let h: SandboxClientHarness;
  beforeEach(async () => {
    h = await startSandboxClient(await testKnex(), { timeScale: 600 });
  });
  afterEach(() => h.close());

  const opKey = (what: string): string => `test:${what}:${crypto.randomUUID()}`;

  it('pages through 2,500 bulk-loaded customers in Id order with exactly 3 query calls', async () => {
    h.sandbox.store.bulkLoad(h.realmId, 'Customer', Array.from({ length: 2_500 }, (_, i) => ({ DisplayName: `Paged ${String(i).padStart(4, '0')}` })));
    const expected = h.sandbox.store
      .all(h.realmId, 'Customer')
      .filter((c) => c['Active'] !== false)
      .map((c) => String(c['Id']))
      .sort((a, b) => Number(a) - Number(b));
    expect(expected.length).to.be.at.least(2_500);
    expect(h.requests()).to.deep.equal([]); // the bulk load was not an API call

    const ids: string[] = [];
    for await (const customer of customers.queryAll(h.client, h.realmId, customers.select())) ids.push(customer.Id);

    expect(ids).to.deep.equal(expected);
    const calls = h.requests();
    expect(calls.map((r) => [r.method, r.path.split('/').at(-1), r.status])).to.deep.equal([
      ['GET', 'query', 200],
      ['GET', 'query', 200],
      ['GET', 'query', 200],
    ]);
  });

  it('finds "Amy\'s Bird \\ Sanctuary" by name: apostrophe and backslash escaped, no near miss', async () => {
    const name = "Amy's Bird \\ Sanctuary";
    const created = await createCustomer(h.client, h.realmId, { DisplayName: name }, opKey('amy'));
    await createCustomer(h.client, h.realmId, { DisplayName: "Amy's Bird  Sanctuary" }, opKey('amy2'));

    const found = await findCustomerByDisplayName(h.client, h.realmId, name);

    expect(found?.Id).to.equal(created.Id);
    expect(found?.DisplayName).to.equal(name);
    expect(await findCustomerByDisplayName(h.client, h.realmId, "Amy's Bird \\\\ Sanctuary")).to.equal(null);
  });

  it('sends 70 creates as 3 batch calls, matches the out-of-order answers by bId, and keeps a duplicate name to its item', async () => {
    const run = crypto.randomUUID().slice(0, 6);
    const taken = `Batch ${run} 41`;
    await createCustomer(h.client, h.realmId, { DisplayName: taken }, opKey('taken'));
    h.sandbox.control.clearRequests();
    const items: BatchItemRequest[] = Array.from({ length: 70 }, (_, i) => ({ bId: `c${i}`, operation: 'create', entity: 'Customer', payload: { DisplayName: `Batch ${run} ${i}` } }));

    const results = await runBatch(h.client, h.realmId, items, opKey('batch70'));

    expect(h.requests().map((r) => [r.path.split('/').at(-1), r.status, r.batchSize])).to.deep.equal([
      ['batch', 200, 30],
      ['batch', 200, 30],
      ['batch', 200, 10],
    ]);
    expect(results.size).to.equal(70);
    for (let i = 0; i < 70; i += 1) {
      const result = results.get(`c${i}`);
      if (i === 41) {
        expect(result?.ok).to.equal(false);
        if (result?.ok === false) {
          expect(result.error).to.be.instanceOf(QboDuplicateNameError);
          expect(result.error.code).to.equal('6240');
        }
        continue;
      }
      expect(result?.ok, `c${i}`).to.equal(true);
      if (result?.ok) expect((result.body as Record<string, unknown>)['DisplayName']).to.equal(`Batch ${run} ${i}`);
    }
    const stored = h.sandbox.store.all(h.realmId, 'Customer').filter((c) => String(c['DisplayName']).startsWith(`Batch ${run} `));
    expect(stored).to.have.length(70); // 69 from the batch and the one that took the name first
  });

  it('reads the changes since a bookmark with CDC: new and updated customers, not older ones', async () => {
    const old = await createCustomer(h.client, h.realmId, { DisplayName: `Before ${crypto.randomUUID().slice(0, 6)}` }, opKey('old'));
    const toUpdate = await createCustomer(h.client, h.realmId, { DisplayName: `Changed ${crypto.randomUUID().slice(0, 6)}` }, opKey('upd'));
    h.sandbox.clock.advance(10 * 60_000);
    const bookmark = h.sandbox.clock.now().toISOString();
    h.sandbox.clock.advance(2 * 60_000);
    const fresh = await createCustomer(h.client, h.realmId, { DisplayName: `After ${crypto.randomUUID().slice(0, 6)}` }, opKey('new'));
    await updateCustomer(h.client, h.realmId, toUpdate, { Notes: 'changed after the bookmark' }, opKey('upd2'));
    h.sandbox.control.clearRequests();

    const result = await fetchChanges(h.client, h.realmId, ['Customer'], bookmark, h.sandbox.clock.now());

    if (result.kind !== 'changes') throw new Error(`expected changes, got ${result.kind}`);
    const changes = result.entities.get('Customer');
    expect(changes?.complete).to.equal(true);
    const ids = (changes?.objects ?? []).map((o) => String((o as Record<string, unknown>)['Id']));
    expect(ids).to.have.members([fresh.Id, toUpdate.Id]);
    expect(ids).not.to.include(old.Id);
    expect(Date.parse(result.nextBookmark)).to.be.greaterThan(Date.parse(bookmark));
    expect(h.requests().map((r) => [r.path.split('/').at(-1), r.status])).to.deep.equal([['cdc', 200]]);
  });
});
