import { expect } from 'chai';
import crypto from 'node:crypto';
import pino from 'pino';
import { runBatch } from '../../plugin/qbo/batch';
import { QboHttpClient } from '../../plugin/qbo/http-client';
import { QboRateLimiter, type RequestKind } from '../../plugin/qbo/rate-limiter';
import { WriteIntentRepository } from '../../plugin/persistence/write-intent-repository';
import { FakeTokenProvider, QboFakeServer, replyFromRecording } from '../support/qbo-fake-server';
import { loadRecording } from '../support/recordings';
import { testKnex } from '../support/test-database';

class CountingLimiter extends QboRateLimiter {
  readonly kinds: RequestKind[] = [];
  override run<T>(realmId: string, kind: RequestKind, fn: () => Promise<T>): Promise<T> {
    this.kinds.push(kind);
    return super.run(realmId, kind, fn);
  }
}

describe('QBO batch over HTTP', () => {
  let server: QboFakeServer;

  beforeEach(async () => {
    server = await QboFakeServer.start();
  });
  afterEach(async () => {
    await server.stop();
  });

  it('posts the recorded batch as a batch call with a requestid QBO accepts, and reads each item by bId', async () => {
    const rec = loadRecording('batch-mixed-faults--1.json');
    server.enqueue(replyFromRecording(rec));
    const limiter = new CountingLimiter();
    const client = new QboHttpClient({
      tokens: new FakeTokenProvider(),
      writeIntents: new WriteIntentRepository(await testKnex()),
      limiter,
      logger: pino({ level: 'silent' }),
      apiBaseUrl: server.baseUrl,
    });
    const realmId = String(crypto.randomInt(1, 2 ** 47));
    const results = await runBatch(
      client,
      realmId,
      [
        { bId: 'bid1', operation: 'create', entity: 'Vendor', payload: { DisplayName: 'Boraski Family Store' } },
        { bId: 'bid2', operation: 'delete', entity: 'Invoice', payload: { Id: '129', SyncToken: '0' } },
        { bId: 'bid3', operation: 'update', entity: 'SalesReceipt', payload: { Id: '11', SyncToken: '0', sparse: true } },
        { bId: 'bid4', query: "select * from SalesReceipt where TotalAmt > '300.00'" },
      ],
      'test:batch:1',
    );
    expect(limiter.kinds).to.deep.equal(['batch']);
    const [sent] = server.requests;
    expect(sent?.path).to.equal(`/v3/company/${realmId}/batch`);
    expect(sent?.requestId?.length).to.be.within(1, 36);
    expect(sent?.query['minorversion']).to.equal('75');
    expect([...results.keys()]).to.deep.equal(['bid1', 'bid2', 'bid3', 'bid4']);
    expect(results.get('bid1')?.ok).to.equal(true);
    expect(results.get('bid2')?.ok).to.equal(false);
    expect(results.get('bid3')?.ok).to.equal(false);
    expect(results.get('bid4')?.ok).to.equal(true);
  });
});
