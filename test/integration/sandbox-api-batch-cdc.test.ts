import { expect } from 'chai';
import { entityOf, faultCodes, startHarness, type RealmClient, type SandboxHarness } from './sandbox-api-harness';

type Json = Record<string, unknown>;

describe('sandbox API: batch and change data capture', function () {
  let h: SandboxHarness;
  let api: RealmClient;
  before(async () => {
    h = await startHarness();
  });
  beforeEach(() => {
    api = h.api(h.company().realmId);
  });
  after(async () => {
    await h.close();
  });

  it('runs items independently, keeps faults inside HTTP 200 and answers in an order other than the request\'s', async () => {
    const items = [
      { bId: 'b1', operation: 'create', Customer: { DisplayName: 'Batch One' } },
      { bId: 'b2', operation: 'create', Customer: { DisplayName: 'Hicks Hardware' } },
      { bId: 'b3', operation: 'create', Customer: { DisplayName: 'Batch Three' } },
      { bId: 'b4', Query: "select * from Customer where DisplayName LIKE 'Batch%'" },
      { bId: 'b5', operation: 'update', Customer: { Id: '99999', SyncToken: '0', DisplayName: 'Nobody' } },
    ];
    const res = await api.post('/batch', { BatchItemRequest: items });
    expect(res.status).to.equal(200);
    const out = res.body['BatchItemResponse'] as Json[];
    expect(out.map((o) => o['bId'])).to.have.members(['b1', 'b2', 'b3', 'b4', 'b5']);
    expect(out.map((o) => o['bId'])).to.not.deep.equal(['b1', 'b2', 'b3', 'b4', 'b5']);
    const byId = new Map(out.map((o) => [o['bId'], o]));
    expect(entityOf(byId.get('b1') ?? {}, 'Customer')['DisplayName']).to.equal('Batch One');
    expect(faultCodes(byId.get('b2') ?? {})).to.deep.equal(['6240']);
    expect(entityOf(byId.get('b3') ?? {}, 'Customer')['DisplayName']).to.equal('Batch Three');
    expect(faultCodes(byId.get('b5') ?? {})).to.deep.equal(['610']);
    expect(byId.get('b4')).to.have.all.keys('QueryResponse', 'bId');
  });

  it('does not let an item see what earlier items created, and limits bId to 10 characters', async () => {
    const res = await api.post('/batch', { BatchItemRequest: [
      { bId: 'c', operation: 'create', Customer: { DisplayName: 'Same Batch' } },
      { bId: 'q', Query: "select * from Customer where DisplayName = 'Same Batch'" },
      { bId: 'b'.repeat(11), operation: 'create', Customer: { DisplayName: 'Long bId' } },
    ] });
    const byId = new Map((res.body['BatchItemResponse'] as Json[]).map((o) => [o['bId'], o]));
    const created = entityOf(byId.get('c') ?? {}, 'Customer');
    expect(created['Id']).to.be.a('string');
    expect(faultCodes(byId.get('b'.repeat(11)) ?? {})).to.deep.equal(['2050']);
    const sameBatchId = String(created['Id']);
    const res2 = await api.post('/batch', { BatchItemRequest: [
      { bId: 'c2', operation: 'create', Customer: { DisplayName: 'Same Batch 2' } },
      { bId: 'i2', operation: 'create', Invoice: { CustomerRef: { value: String(Number(sameBatchId) + 1) }, Line: [{ Amount: 1, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' } } }] } },
    ] });
    const byId2 = new Map((res2.body['BatchItemResponse'] as Json[]).map((o) => [o['bId'], o]));
    expect(entityOf(byId2.get('c2') ?? {}, 'Customer')['Id']).to.equal(String(Number(sameBatchId) + 1));
    expect(faultCodes(byId2.get('i2') ?? {})).to.deep.equal(['2500']);
    expect(byId.get('q')?.['QueryResponse']).to.deep.equal({});
    // Outside the batch the created customer is there and usable.
    const inv = await api.post('/invoice', { CustomerRef: { value: sameBatchId }, Line: [{ Amount: 1, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' } } }] });
    expect(inv.status, inv.text).to.equal(200);
  });

  it('refuses more than 30 items (1040) and writes none of them', async () => {
    const items = Array.from({ length: 31 }, (_, i) => ({ bId: `i${i}`, operation: 'create', Customer: { DisplayName: `Many ${i}` } }));
    const res = await api.post('/batch', { BatchItemRequest: items });
    expect(res.status).to.equal(400);
    expect(faultCodes(res.body)).to.deep.equal(['1040']);
    expect((await api.query('select count(*) from Customer')).body['QueryResponse']).to.deep.equal({ totalCount: 0 });
    const thirty = await api.post('/batch', { BatchItemRequest: items.slice(0, 30) });
    expect(thirty.status).to.equal(200);
    expect((await api.query('select count(*) from Customer')).body['QueryResponse']).to.deep.equal({ totalCount: 30 });
  });

  it('deletes and voids through batch items (delete operation, optionsData void)', async () => {
    const customer = entityOf((await api.post('/customer', { DisplayName: 'Batch Payer' })).body, 'Customer');
    const invoice = entityOf((await api.post('/invoice', { CustomerRef: { value: customer['Id'] }, Line: [{ Amount: 5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' } } }] })).body, 'Invoice');
    const payment = entityOf((await api.post('/payment', { CustomerRef: { value: customer['Id'] }, TotalAmt: 5 })).body, 'Payment');
    const res = await api.post('/batch', { BatchItemRequest: [
      { bId: 'd', operation: 'delete', Invoice: { Id: invoice['Id'], SyncToken: '0' } },
      { bId: 'v', operation: 'update', optionsData: 'void', Payment: { Id: payment['Id'], SyncToken: '0', sparse: true } },
    ] });
    const byId = new Map((res.body['BatchItemResponse'] as Json[]).map((o) => [o['bId'], o]));
    expect(byId.get('d')?.['Invoice']).to.deep.equal({ domain: 'QBO', status: 'Deleted', Id: invoice['Id'] });
    expect(entityOf(byId.get('v') ?? {}, 'Payment')).to.include({ TotalAmt: 0, PrivateNote: 'Voided' });
  });

  it('reports changes since a time per entity, deleted objects with status "Deleted"', async () => {
    const since = new Date(h.sandbox.clock.nowMs() - 1000).toISOString();
    const customer = entityOf((await api.post('/customer', { DisplayName: 'Changed Co' })).body, 'Customer');
    const invoice = entityOf((await api.post('/invoice', { CustomerRef: { value: customer['Id'] }, Line: [{ Amount: 5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' } } }] })).body, 'Invoice');
    await api.post('/invoice?operation=delete', { Id: invoice['Id'], SyncToken: '0' });
    const res = await api.get(`/cdc?entities=Customer,invoice,Payment&changedSince=${encodeURIComponent(since)}`);
    expect(res.status, res.text).to.equal(200);
    const [block] = res.body['CDCResponse'] as Array<{ QueryResponse: Json[] }>;
    const [customers, invoices, payments] = block?.QueryResponse ?? [];
    expect((customers?.['Customer'] as Json[]).map((c) => c['DisplayName'])).to.deep.equal(['Changed Co']);
    expect(invoices?.['Invoice']).to.have.length(1);
    expect((invoices?.['Invoice'] as Json[])[0]).to.include({ status: 'Deleted', Id: invoice['Id'] });
    expect(payments).to.deep.equal({});
    h.sandbox.clock.advance(5000);
    const later = await api.get(`/cdc?entities=Customer&changedSince=${encodeURIComponent(new Date(h.sandbox.clock.nowMs() - 1000).toISOString())}`);
    expect((later.body['CDCResponse'] as Array<{ QueryResponse: Json[] }>)[0]?.QueryResponse).to.deep.equal([{}]);
  });

  it('answers missing entities with the recorded 200 SystemFault 10000, and refuses more than 30 days back', async () => {
    const since = encodeURIComponent(new Date(h.sandbox.clock.nowMs() - 60_000).toISOString());
    const missing = await api.get(`/cdc?changedSince=${since}`);
    expect(missing.status).to.equal(200);
    expect(faultCodes(missing.body)).to.deep.equal(['10000']);
    const misspelled = await api.get(`/cdc?entites=Customer&changedSince=${since}`);
    expect(faultCodes(misspelled.body)).to.deep.equal(['10000']);
    const old = new Date(h.sandbox.clock.nowMs() - 31 * 24 * 3600 * 1000).toISOString();
    const tooOld = await api.get(`/cdc?entities=Customer&changedSince=${encodeURIComponent(old)}`);
    expect(tooOld.status).to.equal(400);
    expect(faultCodes(tooOld.body)).to.deep.equal(['6000']);
  });

  it('answers an entity CDC does not know or support with HTTP 200 and a SystemFault 10000, not 400/4001', async () => {
    const since = encodeURIComponent(new Date(h.sandbox.clock.nowMs() - 60_000).toISOString());
    for (const entities of ['Estimatez', 'TaxCode', 'Preferences', 'Customer,Widget']) {
      const res = await api.get(`/cdc?entities=${entities}&changedSince=${since}`);
      expect(res.status, entities).to.equal(200);
      expect(res.body['Fault'], entities).to.deep.include({ type: 'SystemFault' });
      expect(faultCodes(res.body), entities).to.deep.equal(['10000']);
      expect(res.body).to.not.have.property('CDCResponse');
    }
  });

  it('returns at most 1000 objects per entity', async () => {
    const since = new Date(h.sandbox.clock.nowMs() - 1000).toISOString();
    h.store.bulkLoad(api.realmId, 'Customer', Array.from({ length: 1005 }, (_, i) => ({ DisplayName: `Bulk ${i}`, Active: true })));
    const res = await api.get(`/cdc?entities=Customer&changedSince=${encodeURIComponent(since)}`);
    const block = (res.body['CDCResponse'] as Array<{ QueryResponse: Json[] }>)[0]?.QueryResponse[0];
    expect(block?.['Customer']).to.have.length(1000);
    expect(block?.['maxResults']).to.equal(1000);
  });
});
