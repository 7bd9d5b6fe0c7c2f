import { expect } from 'chai';
import type { Knex } from 'knex';
import pino from 'pino';
import { RETENTION_LOCK_KEY, RetentionJob } from '../../plugin/jobs/retention';
import { retentionCutoff } from '../../plugin/ops/retention-policy';
import { RetentionRepository } from '../../plugin/persistence/retention-repository';
import { testKnex, truncateAll } from '../support/test-database';
import { countRows } from './ops-support';

const NOW = new Date('2026-12-01T03:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

async function seedOld(knex: Knex): Promise<void> {
  const outbox = (record: string, status: string, days: number) => ({
    account_id: 'a1', entity: 'client', record_id: record, action: 'updated', status, created_at: daysAgo(days), updated_at: daysAgo(days),
  });
  await knex('qbo_outbox').insert([
    ...Array.from({ length: 7 }, (_, i) => outbox(`old-done-${i}`, 'done', 100)),
    outbox('recent-done', 'done', 10),
    outbox('old-failed', 'failed', 100),
    outbox('old-pending', 'pending', 100),
  ]);
  const [oldRun] = await knex('qbo_sync_runs')
    .insert([
      { account_id: 'a1', kind: 'continuous', status: 'succeeded', started_at: daysAgo(120), finished_at: daysAgo(120) },
      { account_id: 'a1', kind: 'continuous', status: 'succeeded', started_at: daysAgo(100), finished_at: daysAgo(100) },
      // a2's newest run is old, and stays: the health report shows an account's last run.
      { account_id: 'a2', kind: 'continuous', status: 'failed', started_at: daysAgo(200), finished_at: daysAgo(200) },
      { account_id: 'a1', kind: 'continuous', status: 'succeeded', started_at: daysAgo(1), finished_at: daysAgo(1) },
    ])
    .returning('id');
  await knex('qbo_sync_log').insert([
    ...Array.from({ length: 5 }, () => ({ account_id: 'a1', run_id: oldRun.id, level: 'info', outcome: 'unchanged', reason: 'r', created_at: daysAgo(95) })),
    { account_id: 'a1', level: 'info', outcome: 'unchanged', reason: 'r', created_at: daysAgo(5) },
  ]);
  await knex('qbo_write_intents').insert([
    { realm_id: 'r1', op_key: 'old-done', request_id: 'req-1', outcome: 'applied', created_at: daysAgo(100), completed_at: daysAgo(100) },
    { realm_id: 'r1', op_key: 'old-open', request_id: 'req-2', created_at: daysAgo(100) },
    { realm_id: 'r1', op_key: 'recent', request_id: 'req-3', outcome: 'rejected', created_at: daysAgo(3), completed_at: daysAgo(3) },
  ]);
  const event = (key: string, days: number) => ({
    dedupe_key: key, format: 'legacy', realm_id: 'r1', account_id: 'a1', status: 'accepted', entity: 'Customer', entity_id: '1',
    operation: 'Update', occurred_at: daysAgo(days), payload: '{}', received_at: daysAgo(days),
  });
  await knex('qbo_webhook_events').insert([event('old', 91), event('new', 89)]);
}

describe('retention (real PostgreSQL)', () => {
  let knex: Knex;
  let job: RetentionJob;

  beforeEach(async () => {
    knex = await testKnex();
    await truncateAll();
    await seedOld(knex);
    job = new RetentionJob({ repository: new RetentionRepository(knex), logger: pino({ level: 'silent' }), clock: () => NOW, retentionDays: 90, schedule: '41 2 * * *', chunkSize: 2 });
  });

  it('deletes what is older than the retention in chunks, and keeps what is still needed', async () => {
    const result = await job.runOnce();
    expect(result?.deleted).to.deep.equal({ outbox_done: 7, sync_log: 5, sync_runs: 2, write_intents: 1, webhook_events: 1 });
    expect(result?.incomplete).to.equal(false);
    expect((await knex('qbo_outbox').orderBy('record_id')).map((r: { record_id: string }) => r.record_id)).to.deep.equal(['old-failed', 'old-pending', 'recent-done']);
    expect((await knex('qbo_sync_runs').orderBy('account_id')).map((r: { account_id: string }) => r.account_id)).to.deep.equal(['a1', 'a2']);
    expect((await knex('qbo_write_intents').orderBy('op_key')).map((r: { op_key: string }) => r.op_key)).to.deep.equal(['old-open', 'recent']);
    expect(await countRows(knex, 'qbo_sync_log')).to.equal(1);
    expect((await knex('qbo_webhook_events').first()).dedupe_key).to.equal('new');
    // A second pass finds nothing more.
    expect(Object.values((await job.runOnce())?.deleted ?? {})).to.deep.equal([0, 0, 0, 0, 0]);
  });

  it('stops at its chunk budget and says so; the next pass continues', async () => {
    const bounded = new RetentionJob({ repository: new RetentionRepository(knex), logger: pino({ level: 'silent' }), clock: () => NOW, retentionDays: 90, schedule: '* * * * *', chunkSize: 2, maxChunks: 1 });
    const first = await bounded.runOnce();
    expect(first?.deleted.outbox_done).to.equal(2);
    expect(first?.incomplete).to.equal(true);
    let total = first?.deleted.outbox_done ?? 0;
    for (let i = 0; i < 5; i += 1) total += (await bounded.runOnce())?.deleted.outbox_done ?? 0;
    expect(total).to.equal(7);
  });

  it('skips the pass while another process holds the retention lock', async () => {
    await knex.transaction(async (other) => {
      await other.raw('SELECT pg_advisory_xact_lock(?, ?)', RETENTION_LOCK_KEY);
      expect(await job.runOnce()).to.equal(null);
    });
    expect(await countRows(knex, 'qbo_outbox')).to.equal(10);
    expect((await job.runOnce())?.deleted.outbox_done).to.equal(7);
  });

  it('refuses a retention that is not a whole number of days', () => {
    expect(() => retentionCutoff(NOW, 0)).to.throw(/at least 1/);
    expect(retentionCutoff(NOW, 90)).to.deep.equal(daysAgo(90));
  });

  it('is scheduled by start() and unscheduled by stop()', async () => {
    job.start();
    expect(job.isScheduled).to.equal(true);
    await job.stop();
    expect(job.isScheduled).to.equal(false);
  });
});
