import { expect } from 'chai';
import type { Knex } from 'knex';
import pino from 'pino';
import { PullScheduler } from '../../plugin/jobs/pull-scheduler';
import type { PullOutcome } from '../../plugin/ops/engine-port';
import { DebouncedPullRequests, type ClaimedPull } from '../../plugin/ops/pull-requests';
import { PullRequestRepository } from '../../plugin/persistence/pull-request-repository';
import { testKnex, truncateAll } from '../support/test-database';

const T0 = new Date('2026-12-01T12:00:00.000Z');
const silent = pino({ level: 'silent' });

/** A stand-in for the engine's pull: records who pulled which account, answers as told. */
class FakeEngine {
  readonly pulled: { accountId: string; worker: string }[] = [];
  answer: (claim: ClaimedPull) => Promise<PullOutcome> = async () => ({ status: 'pulled' });

  async pull(claim: ClaimedPull): Promise<PullOutcome> {
    this.pulled.push({ accountId: claim.accountId, worker: claim.claimedBy });
    await new Promise((resolve) => setImmediate(resolve));
    return this.answer(claim);
  }
}

describe('pull scheduler (engine port, real PostgreSQL)', () => {
  let knex: Knex;
  let now: Date;
  let pulls: DebouncedPullRequests;
  let engine: FakeEngine;
  const scheduler = (workerId: string) => new PullScheduler({ pulls, engine, logger: silent, schedule: '*/5 * * * * *', workerId, batchSize: 3 });

  beforeEach(async () => {
    knex = await testKnex();
    await truncateAll();
    now = T0;
    pulls = new DebouncedPullRequests({ repository: new PullRequestRepository(knex), clock: () => now, debounceMs: 30_000 });
    engine = new FakeEngine();
  });

  it('two schedulers working the same queue pull each account exactly once, and only when due', async () => {
    for (let i = 0; i < 12; i += 1) await pulls.requestPull(`acct-${i}`, 'webhook');
    const [a, b] = [scheduler('a'), scheduler('b')];
    expect(await a.runOnce()).to.deep.equal([]);
    now = new Date(T0.getTime() + 30_000);
    for (let pass = 0; pass < 4; pass += 1) await Promise.all([a.runOnce(), b.runOnce()]);
    const accounts = engine.pulled.map((p) => p.accountId).sort();
    expect(accounts).to.deep.equal(Array.from({ length: 12 }, (_, i) => `acct-${i}`).sort());
    expect(new Set(engine.pulled.map((p) => p.worker))).to.deep.equal(new Set(['a', 'b']));
    expect(await knex('qbo_pull_requests').count({ n: '*' }).first()).to.deep.equal({ n: '0' });
  });

  it('hands a busy account back to be tried soon, and a failed pull later with its error', async () => {
    await pulls.requestPull('busy', 'webhook', { immediate: true });
    await pulls.requestPull('broken', 'webhook', { immediate: true });
    engine.answer = async (claim) => {
      if (claim.accountId === 'broken') throw new Error('QuickBooks answered 503');
      return { status: 'busy' };
    };
    const worker = new PullScheduler({ pulls, engine, logger: silent, schedule: '* * * * * *', workerId: 'w', busyRetryMs: 15_000, failureRetryMs: 60_000 });
    await worker.runOnce();
    const rows = await knex('qbo_pull_requests').orderBy('account_id');
    expect(rows.map((r: { account_id: string; claimed_by: string | null; last_error: string | null; due_at: Date }) => [r.account_id, r.claimed_by, r.last_error, new Date(r.due_at).getTime() - T0.getTime()])).to.deep.equal([
      ['broken', null, 'QuickBooks answered 503', 60_000],
      ['busy', null, 'another sync run of this account was running', 15_000],
    ]);
    engine.answer = async () => ({ status: 'pulled' });
    now = new Date(T0.getTime() + 15_000);
    expect((await worker.runOnce()).map((c) => c.accountId)).to.deep.equal(['busy']);
    now = new Date(T0.getTime() + 60_000);
    expect((await worker.runOnce()).map((c) => c.accountId)).to.deep.equal(['broken']);
    expect(await knex('qbo_pull_requests').count({ n: '*' }).first()).to.deep.equal({ n: '0' });
  });

  it('is scheduled by start() and unscheduled by stop()', async () => {
    const worker = scheduler('w');
    worker.start();
    expect(worker.isScheduled).to.equal(true);
    await worker.stop();
    expect(worker.isScheduled).to.equal(false);
  });
});
