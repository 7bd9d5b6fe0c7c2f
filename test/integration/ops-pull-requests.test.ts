import { expect } from 'chai';
import type { Knex } from 'knex';
import { DebouncedPullRequests } from '../../plugin/ops/pull-requests';
import { PullRequestRepository } from '../../plugin/persistence/pull-request-repository';
import { testKnex, truncateAll } from '../support/test-database';

const T0 = new Date('2026-12-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** The engine's side of the webhooks: claimDuePulls / completePull / failPull over qbo_pull_requests. */
describe('pull requests (debounce and claiming across processes, real PostgreSQL)', () => {
  let knex: Knex;
  let now: Date;
  let pulls: DebouncedPullRequests;

  beforeEach(async () => {
    knex = await testKnex();
    await truncateAll();
    now = T0;
    pulls = new DebouncedPullRequests({ repository: new PullRequestRepository(knex), clock: () => now, debounceMs: 60_000, defaultLeaseMs: 120_000 });
  });

  it('folds requests within the window into one pull, due one window after the first', async () => {
    expect((await pulls.requestPull('a1', 'webhook')).scheduled).to.equal(true);
    now = at(50);
    const second = await pulls.requestPull('a1', 'webhook');
    expect(second).to.deep.equal({ scheduled: false, dueAt: at(60) });
    now = at(59);
    expect(await pulls.claimDuePulls({ workerId: 'w1' })).to.deep.equal([]);
    now = at(60);
    const [claim, ...more] = await pulls.claimDuePulls({ workerId: 'w1' });
    expect(more).to.deep.equal([]);
    expect(claim).to.include({ accountId: 'a1', reason: 'webhook', requestCount: 2, claimedBy: 'w1', attempts: 1 });
    expect(await pulls.completePull(claim!)).to.equal('done');
    expect(await knex('qbo_pull_requests').count({ n: '*' }).first()).to.deep.equal({ n: '0' });
  });

  it('a replay asks for an immediate pull, pulling an existing request forward', async () => {
    await pulls.requestPull('a1', 'webhook');
    expect((await pulls.requestPull('a1', 'replay', { immediate: true })).dueAt).to.deep.equal(T0);
    expect(await pulls.claimDuePulls({ workerId: 'w1' })).to.have.length(1);
  });

  it('never hands one account to two workers claiming at the same time', async () => {
    for (let i = 0; i < 30; i += 1) await pulls.requestPull(`acct-${String(i).padStart(2, '0')}`, 'webhook', { immediate: true });
    const claims = await Promise.all(Array.from({ length: 6 }, (_, w) => pulls.claimDuePulls({ workerId: `w${w}`, limit: 7 })));
    const accounts = claims.flat().map((c) => c.accountId);
    expect(new Set(accounts).size).to.equal(accounts.length);
    expect(accounts).to.have.length(30);
    expect(await pulls.claimDuePulls({ workerId: 'late' })).to.deep.equal([]);
  });

  it('a request arriving while a pull runs schedules one more pull after it', async () => {
    await pulls.requestPull('a1', 'webhook', { immediate: true });
    const [claim] = await pulls.claimDuePulls({ workerId: 'w1' });
    now = at(10);
    expect((await pulls.requestPull('a1', 'webhook')).scheduled).to.equal(true);
    now = at(20);
    expect((await pulls.requestPull('a1', 'webhook')).scheduled).to.equal(false);
    expect(await pulls.completePull(claim!)).to.equal('requeued');
    now = at(69);
    expect(await pulls.claimDuePulls({ workerId: 'w2' })).to.deep.equal([]);
    now = at(70);
    const [next] = await pulls.claimDuePulls({ workerId: 'w2' });
    expect(next).to.include({ accountId: 'a1', requestCount: 2, attempts: 1 });
  });

  it('takes a pull back from a worker whose lease expired; the old worker cannot complete it', async () => {
    await pulls.requestPull('a1', 'webhook', { immediate: true });
    const [stale] = await pulls.claimDuePulls({ workerId: 'dead' });
    now = at(119);
    expect(await pulls.claimDuePulls({ workerId: 'w2' })).to.deep.equal([]);
    now = at(121);
    const [taken] = await pulls.claimDuePulls({ workerId: 'w2' });
    expect(taken).to.include({ accountId: 'a1', claimedBy: 'w2', attempts: 2 });
    expect(await pulls.completePull(stale!)).to.equal('lost');
    expect(await pulls.completePull(taken!)).to.equal('done');
  });

  it('a failed pull is handed back with its error, due again after the retry delay', async () => {
    await pulls.requestPull('a1', 'webhook', { immediate: true });
    const [claim] = await pulls.claimDuePulls({ workerId: 'w1' });
    expect(await pulls.failPull(claim!, 'QuickBooks answered 503', 30_000)).to.equal(true);
    const row = await knex('qbo_pull_requests').first();
    expect(row).to.include({ claimed_by: null, last_error: 'QuickBooks answered 503' });
    now = at(29);
    expect(await pulls.claimDuePulls({ workerId: 'w1' })).to.deep.equal([]);
    now = at(30);
    expect(await pulls.claimDuePulls({ workerId: 'w1' })).to.have.length(1);
  });
});
