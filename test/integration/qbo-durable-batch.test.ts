import { expect } from 'chai';
import crypto from 'node:crypto';
import Decimal from 'decimal.js';
import type { Knex } from 'knex';
import pino from 'pino';
import { WriteBatchRepository } from '../../plugin/persistence/write-batch-repository';
import type { BatchPoster } from '../../plugin/qbo/batch';
import { DurableBatchWriter, type DurableBatchWrite } from '../../plugin/qbo/durable-batch';
import { createCustomer } from '../../plugin/qbo/entities/customer';
import { QboNetworkError, QboValidationError } from '../../plugin/qbo/errors';
import { QboHttpClient as HttpClient } from '../../plugin/qbo/http-client';
import { QboRateLimiter } from '../../plugin/qbo/rate-limiter';
import { WriteIntentRepository } from '../../plugin/persistence/write-intent-repository';
import { runBatch } from '../../plugin/qbo/batch';
import { FakeTokenProvider, QboFakeServer } from '../support/qbo-fake-server';
import type { QboHttpClient } from '../../plugin/qbo/http-client';
import { MAX_ATTEMPTS } from '../../plugin/qbo/retry-policy';
import { startSandboxClient, type SandboxClientHarness } from '../support/sandbox-qbo-client';
import { testKnex } from '../support/test-database';

/**
 * Issue 14, defect 1: batch writes against the QBO sandbox over HTTP on real PostgreSQL. A batch whose
 * answer is lost must be re-sent verbatim (same requestid, same body) before anything new is formed, so
 * nothing is created twice; and a run whose later chunk fails still returns the earlier chunks' results.
 */
describe('DurableBatchWriter against the sandbox (issue 14, defect 1)', () => {
  let knex: Knex;
  let h: SandboxClientHarness;
  let customerId: string;
  const accountId = 'acct-durable';

  beforeEach(async () => {
    knex = await testKnex();
    h = await startSandboxClient(knex, { timeScale: 600 });
    // Each test starts with a new sandbox: open batches other suites left for this realm id are not ours.
    await knex('qbo_write_batches').where({ realm_id: h.realmId, state: 'open' }).delete();
    customerId = (await createCustomer(h.client, h.realmId, { DisplayName: `Batch Owner ${crypto.randomUUID().slice(0, 8)}` }, `test:owner:${crypto.randomUUID()}`)).Id;
  });
  afterEach(() => h.close());

  const writer = (client: Pick<BatchPoster, 'postPrepared'> = h.client) =>
    new DurableBatchWriter({ client, batches: new WriteBatchRepository(knex), logger: pino({ level: 'silent' }) });

  /** An invoice create for Work invoice `n`, recognisable in the sandbox by its PrivateNote. */
  const invoice = (run: string, n: number, amount = '10.00'): DurableBatchWrite => ({
    bId: `i${n}`,
    subject: `invoice:${run}:${n}`,
    operation: 'create',
    entity: 'Invoice',
    payload: {
      CustomerRef: { value: customerId },
      PrivateNote: `${run}-${n}`,
      Line: [{ Amount: new Decimal(amount), DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: new Decimal(1), UnitPrice: new Decimal(amount), TaxCodeRef: { value: 'NON' } } }],
    },
  });
  const invoicesOf = (run: string, n: number) => h.sandbox.store.all(h.realmId, 'Invoice').filter((i) => i['PrivateNote'] === `${run}-${n}`);
  const batchPosts = () => h.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/batch'));

  it('re-sends a batch whose answer was lost verbatim, after a restart, before a re-formed batch: no invoice twice', async () => {
    const run = crypto.randomUUID().slice(0, 8);
    // Every send of the first run is applied, then its answer is lost: the run ends not knowing the outcome.
    h.sandbox.control.armFault({ kind: 'drop-after-write', count: MAX_ATTEMPTS, method: 'POST', path: '/batch$' });
    const first = await writer().send(h.realmId, accountId, [invoice(run, 1), invoice(run, 2)]);

    expect(first.failure).to.be.instanceOf(QboNetworkError);
    expect((first.failure as QboNetworkError).outcomeUnknown).to.equal(true);
    expect(first.results).to.deep.equal([]);
    expect(first.pending).to.deep.equal([`invoice:${run}:1`, `invoice:${run}:2`]);
    expect(await writer().openSubjects(h.realmId)).to.deep.equal(new Set([`invoice:${run}:1`, `invoice:${run}:2`]));
    expect(invoicesOf(run, 1)).to.have.length(1); // applied by the first send
    const [lostBatch] = await new WriteBatchRepository(knex).findOpen(h.realmId);
    expect(lostBatch?.sent_at).to.be.instanceOf(Date);

    // A restarted process (new client, new writer) forms a new batch: a new member, an edited one, the order swapped.
    const restarted = writer(h.newClient());
    const second = await restarted.send(h.realmId, accountId, [invoice(run, 3), invoice(run, 2, '12.00'), invoice(run, 1)]);

    expect(second.failure).to.equal(null);
    for (const n of [1, 2, 3]) expect(invoicesOf(run, n), `invoice ${n}`).to.have.length(1);
    expect(new Decimal(String(invoicesOf(run, 2)[0]?.['TotalAmt'])).equals('10.00')).to.equal(true);
    // The lost batch came back with its stored answer and the Ids QuickBooks gave the first time.
    const recovered = second.results.filter((r) => r.recovered);
    expect(recovered.map((r) => [r.subject, r.result.ok])).to.have.deep.members([[`invoice:${run}:1`, true], [`invoice:${run}:2`, true]]);
    const id1 = recovered.find((r) => r.subject === `invoice:${run}:1`)?.result;
    expect(id1?.ok && (id1.body as { Id: string }).Id).to.equal(invoicesOf(run, 1)[0]?.['Id']);
    // The re-formed items for 1 and 2 were held back for the caller to re-plan; 3 was written.
    expect(second.pending).to.deep.equal([`invoice:${run}:2`, `invoice:${run}:1`]);
    expect(second.results.filter((r) => !r.recovered).map((r) => r.subject)).to.deep.equal([`invoice:${run}:3`]);

    const posts = batchPosts();
    expect(posts).to.have.length(MAX_ATTEMPTS + 2);
    const lostRequestId = posts[0]?.requestid;
    expect(posts.slice(0, MAX_ATTEMPTS + 1).every((p) => p.requestid === lostRequestId)).to.equal(true);
    expect(posts[MAX_ATTEMPTS + 1]?.requestid).to.be.a('string').and.not.equal(lostRequestId);
    expect(await restarted.openSubjects(h.realmId)).to.deep.equal(new Set());
  });

  it('returns the applied chunk\'s 30 results when the next chunk\'s call fails, and recovers that chunk later', async () => {
    const run = crypto.randomUUID().slice(0, 8);
    let calls = 0;
    // Over HTTP to the sandbox; the fault is armed only once the first chunk has been answered.
    const client: Pick<BatchPoster, 'postPrepared'> = {
      postPrepared: (...args: Parameters<QboHttpClient['postPrepared']>) => {
        calls += 1;
        if (calls === 2) h.sandbox.control.armFault({ kind: 'drop-after-write', count: MAX_ATTEMPTS, method: 'POST', path: '/batch$' });
        return h.client.postPrepared(...args);
      },
    };
    const items = Array.from({ length: 35 }, (_, i) => invoice(run, i + 1));

    const outcome = await writer(client).send(h.realmId, accountId, items);

    expect(outcome.failure).to.be.instanceOf(QboNetworkError);
    expect(outcome.results).to.have.length(30);
    for (const r of outcome.results) {
      const n = Number(r.subject.split(':')[2]);
      expect(r.result.ok, r.subject).to.equal(true);
      expect(r.result.ok && (r.result.body as { Id: string }).Id).to.equal(invoicesOf(run, n)[0]?.['Id']);
    }
    expect(outcome.pending).to.deep.equal(items.slice(30).map((i) => i.subject));
    expect(await writer().openSubjects(h.realmId)).to.deep.equal(new Set(items.slice(30).map((i) => i.subject)));

    const recovered = await writer(h.newClient()).recoverOpen(h.realmId);
    expect(recovered.failure).to.equal(null);
    expect(recovered.results.map((r) => r.subject)).to.have.members(items.slice(30).map((i) => i.subject));
    for (let n = 1; n <= 35; n += 1) expect(invoicesOf(run, n), `invoice ${n}`).to.have.length(1);
    expect(await writer().openSubjects(h.realmId)).to.deep.equal(new Set());
  });

  it('closes items QuickBooks refused inside an answered batch, and refuses a second open write of one record', async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const refused: DurableBatchWrite = { ...invoice(run, 2), payload: { ...invoice(run, 2).payload, CustomerRef: { value: '999999' } } };
    const outcome = await writer().send(h.realmId, accountId, [invoice(run, 1), refused]);
    expect(outcome.failure).to.equal(null);
    expect(outcome.results.map((r) => [r.subject, r.result.ok])).to.have.deep.members([[`invoice:${run}:1`, true], [`invoice:${run}:2`, false]]);
    const members = await knex('qbo_write_batch_members').where({ realm_id: h.realmId }).whereIn('subject', [`invoice:${run}:1`, `invoice:${run}:2`]).orderBy('b_id');
    expect(members.map((m: { state: string; qbo_id: string | null }) => [m.state, m.qbo_id !== null])).to.deep.equal([['applied', true], ['rejected', false]]);

    // A record with an open write cannot get a second one until that one is resolved.
    const repo = new WriteBatchRepository(knex);
    await repo.create({ realmId: h.realmId, accountId, lane: 't', requestId: crypto.randomUUID(), body: '{}', bodySha256: 'x', members: [{ bId: 'a', subject: `invoice:${run}:9`, operation: 'create', entity: 'Invoice' }] });
    const busy = await repo
      .create({ realmId: h.realmId, accountId, lane: 't', requestId: crypto.randomUUID(), body: '{}', bodySha256: 'x', members: [{ bId: 'b', subject: `invoice:${run}:9`, operation: 'update', entity: 'Invoice' }] })
      .then(() => null, (e: Error) => e);
    expect(busy?.name).to.equal('SubjectBusyError');
    expect(busy?.message).to.contain(`invoice:${run}:9`);
    await knex('qbo_write_batches').where({ realm_id: h.realmId, lane: 't' }).delete();
  });
});

describe('lookups in a batch never replay an old answer (issue 14, trap)', () => {
  it('a query-only batch sent again under the same key reads the current data', async () => {
    const knex = await testKnex();
    const h = await startSandboxClient(knex, { timeScale: 600 });
    try {
      const name = `Looked Up ${crypto.randomUUID().slice(0, 8)}`;
      const lookup = () => runBatch(h.client, h.realmId, [{ bId: 'q1', query: `select * from Customer where DisplayName = '${name}'` }], 'lookup:by-name');
      const rows = (result: Awaited<ReturnType<typeof lookup>>) => {
        const item = result.get('q1');
        return item?.ok ? ((item.body as { Customer?: unknown[] }).Customer ?? []).length : -1;
      };
      expect(rows(await lookup())).to.equal(0);
      await createCustomer(h.client, h.realmId, { DisplayName: name }, `test:lookup:${crypto.randomUUID()}`);
      expect(rows(await lookup())).to.equal(1);
      const batchCalls = h.requests().filter((r) => r.path.endsWith('/batch'));
      expect(batchCalls.map((r) => r.requestid)).to.deep.equal([null, null]);
    } finally {
      await h.close();
    }
  });
});

describe('DurableBatchWriter when QuickBooks refuses the whole call (issue 14, defect 1)', () => {
  it('closes the batch as rejected, returns its items as failed, and leaves no open subject', async () => {
    const server = await QboFakeServer.start();
    try {
      const knex = await testKnex();
      const client = new HttpClient({
        tokens: new FakeTokenProvider(),
        writeIntents: new WriteIntentRepository(knex),
        limiter: new QboRateLimiter(),
        logger: pino({ level: 'silent' }),
        apiBaseUrl: server.baseUrl,
      });
      const realmId = String(crypto.randomInt(1, 2 ** 47));
      server.enqueue({ status: 400, body: { Fault: { Error: [{ Message: 'Batch size exceeds allowed limit', Detail: 'x', code: '1040' }], type: 'ValidationFault' } } });
      const writer = new DurableBatchWriter({ client, batches: new WriteBatchRepository(knex), logger: pino({ level: 'silent' }) });
      const items: DurableBatchWrite[] = [1, 2].map((n) => ({ bId: `c${n}`, subject: `client:${n}`, operation: 'create', entity: 'Customer', payload: { DisplayName: `C ${n}` } }));

      const outcome = await writer.send(realmId, 'acct', items);

      expect(outcome.failure).to.be.instanceOf(QboValidationError);
      expect(outcome.results.map((r) => [r.subject, r.result.ok])).to.deep.equal([['client:1', false], ['client:2', false]]);
      expect(outcome.pending).to.deep.equal([]);
      expect(await writer.openSubjects(realmId)).to.deep.equal(new Set());
      const [batch] = await knex('qbo_write_batches').where({ realm_id: realmId });
      expect([batch.state, batch.error_code]).to.deep.equal(['rejected', '1040']);
      // A retry is a new batch with a new requestid.
      server.enqueue({ status: 200, body: { BatchItemResponse: [{ bId: 'c1', Customer: { Id: '1' } }, { bId: 'c2', Customer: { Id: '2' } }] } });
      const retried = await writer.send(realmId, 'acct', items);
      expect(retried.failure).to.equal(null);
      expect(server.requests[1]?.requestId).to.be.a('string').and.not.equal(server.requests[0]?.requestId);
    } finally {
      await server.stop();
    }
  });
});
