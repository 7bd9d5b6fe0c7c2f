import { expect } from 'chai';
import { MAX_BATCH_ITEMS, chunkOperationKey, runBatch, type BatchItemRequest, type BatchPoster } from '../../plugin/qbo/batch';
import type { WriteOptions, WriteResponse } from '../../plugin/qbo/http-client';
import { loadRecording } from '../support/recordings';

interface Sent {
  segments: readonly string[];
  body: { BatchItemRequest: { bId: string }[] };
  options: WriteOptions;
}

/** Answers each batch with one success per item, in reverse order, so position-matching would fail. */
function reversingPoster(answer?: (body: Sent['body']) => Record<string, unknown>): { poster: BatchPoster; sent: Sent[] } {
  const sent: Sent[] = [];
  const poster: BatchPoster = {
    post(_realmId, segments, body, options): Promise<WriteResponse> {
      const typed = body as Sent['body'];
      sent.push({ segments, body: typed, options });
      const responseBody = answer
        ? answer(typed)
        : { BatchItemResponse: [...typed.BatchItemRequest].reverse().map((i) => ({ bId: i.bId, Customer: { Id: `qbo-${i.bId}` } })) };
      return Promise.resolve({ status: 200, body: responseBody, intuitTid: 'tid-batch', attempts: 1, requestId: 'r' });
    },
    postPrepared(realmId, segments, wireBody, options) {
      return poster.post(realmId, segments, JSON.parse(wireBody), { operationKey: `prepared:${String(options.requestId)}`, kind: options.kind ?? 'single' });
    },
  };
  return { poster, sent };
}

const createItem = (n: number): BatchItemRequest => ({ bId: `c${n}`, operation: 'create', entity: 'Customer', payload: { DisplayName: `Client ${n}` } });

describe('runBatch', () => {
  it('splits 65 items into calls of at most 30, each a batch call with its own stable operation key', async () => {
    const { poster, sent } = reversingPoster();
    const items = Array.from({ length: 65 }, (_, i) => createItem(i));
    const results = await runBatch(poster, '1', items, 'push:run:7');
    expect(sent.map((s) => s.body.BatchItemRequest.length)).to.deep.equal([30, 30, 5]);
    expect(MAX_BATCH_ITEMS).to.equal(30);
    expect(sent.every((s) => s.options.kind === 'batch' && s.segments.join('/') === 'batch')).to.equal(true);
    expect(new Set(sent.map((s) => s.options.operationKey)).size).to.equal(3);

    const again = reversingPoster();
    await runBatch(again.poster, '1', items, 'push:run:7');
    expect(again.sent.map((s) => s.options.operationKey)).to.deep.equal(sent.map((s) => s.options.operationKey));
    expect(results.size).to.equal(65);
  });

  it('matches results by bId, not by position', async () => {
    const { poster } = reversingPoster();
    const results = await runBatch(poster, '1', [createItem(1), createItem(2), createItem(3)], 'k');
    for (const n of [1, 2, 3]) {
      const r = results.get(`c${n}`);
      expect(r?.ok).to.equal(true);
      if (r?.ok) expect(r.body).to.deep.equal({ Id: `qbo-c${n}` });
    }
  });

  it('turns the recorded item faults into typed errors and keeps the successes', async () => {
    const rec = loadRecording('batch-mixed-faults--1.json');
    const recorded = rec.response.body as { BatchItemResponse: unknown[] };
    const { poster, sent } = reversingPoster(() => ({ BatchItemResponse: [...recorded.BatchItemResponse].reverse() }));
    const items: BatchItemRequest[] = [
      { bId: 'bid1', operation: 'create', entity: 'Vendor', payload: { DisplayName: 'Boraski Family Store' } },
      { bId: 'bid2', operation: 'delete', entity: 'Invoice', payload: { Id: '129', SyncToken: '0' } },
      { bId: 'bid3', operation: 'update', entity: 'SalesReceipt', payload: { Id: '11', SyncToken: '0', sparse: true } },
      { bId: 'bid4', query: "select * from SalesReceipt where TotalAmt > '300.00'" },
    ];
    const results = await runBatch(poster, '1', items, 'k');
    expect(sent[0]?.body).to.deep.equal({
      BatchItemRequest: [
        { bId: 'bid1', operation: 'create', Vendor: { DisplayName: 'Boraski Family Store' } },
        { bId: 'bid2', operation: 'delete', Invoice: { Id: '129', SyncToken: '0' } },
        { bId: 'bid3', operation: 'update', SalesReceipt: { Id: '11', SyncToken: '0', sparse: true } },
        { bId: 'bid4', Query: "select * from SalesReceipt where TotalAmt > '300.00'" },
      ],
    });
    const vendor = results.get('bid1');
    expect(vendor?.ok && vendor.entityName).to.equal('Vendor');
    const deleted = results.get('bid2');
    expect(deleted?.ok === false && deleted.error.kind).to.equal('not-found');
    expect(deleted?.ok === false && deleted.error.intuitTid).to.equal('tid-batch');
    const stale = results.get('bid3');
    expect(stale?.ok === false && stale.error.code).to.equal('5010');
    const query = results.get('bid4');
    expect(query?.ok && query.entityName).to.equal('QueryResponse');
  });

  it('reports an item missing from the answer as an error whose outcome is unknown', async () => {
    const { poster } = reversingPoster(() => ({ BatchItemResponse: [{ bId: 'c1', Customer: { Id: '1' } }, { bId: 'other', Customer: {} }] }));
    const results = await runBatch(poster, '1', [createItem(1), createItem(2)], 'k');
    expect(results.get('c1')?.ok).to.equal(true);
    const missing = results.get('c2');
    expect(missing?.ok).to.equal(false);
    if (missing && !missing.ok) {
      expect(missing.error.code).to.equal('MISSING_BATCH_ITEM');
      expect(missing.error.outcomeUnknown).to.equal(true);
    }
    expect(results.has('other')).to.equal(false);
  });

  it('refuses duplicate, long or unsafe bIds and unsafe entity names before sending', async () => {
    const { poster, sent } = reversingPoster();
    const bad: BatchItemRequest[][] = [
      [createItem(1), createItem(1)],
      [{ ...createItem(1), bId: 'elevenchars' }],
      [{ ...createItem(1), bId: 'a b' }],
      [{ ...createItem(1), entity: 'customer?x=1' }],
    ];
    for (const items of bad) {
      const error = await runBatch(poster, '1', items, 'k').then(() => null, (e: Error) => e);
      expect(error).to.be.instanceOf(Error);
    }
    expect(sent).to.have.length(0);
  });

  it('sends a batch of queries only (a lookup) without a requestid, so it never replays an old answer', async () => {
    const { poster, sent } = reversingPoster((body) => ({ BatchItemResponse: body.BatchItemRequest.map((i) => ({ bId: i.bId, QueryResponse: {} })) }));
    await runBatch(poster, '1', [{ bId: 'q1', query: 'select * from Customer' }], 'lookup');
    expect(sent.map((s) => s.options.operationKey)).to.deep.equal(['prepared:null']);
  });

  it('derives different chunk keys for different content', () => {
    expect(chunkOperationKey('k', 0, { a: 1 })).to.not.equal(chunkOperationKey('k', 0, { a: 2 }));
    expect(chunkOperationKey('k', 0, { a: 1 })).to.equal(chunkOperationKey('k', 0, { a: 1 }));
  });
});
