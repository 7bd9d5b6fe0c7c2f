import { expect } from 'chai';
import type { Knex } from 'knex';
import pino from 'pino';
import { DrainScheduler } from '../../plugin/jobs/drain-scheduler';
import { NightlySyncJob } from '../../plugin/jobs/nightly-sync';
import { RunsInHand } from '../../plugin/jobs/runs-in-hand';
import type { EnginePort } from '../../plugin/ops/engine-port';
import { HealthService } from '../../plugin/ops/health';
import { AccountLockRepository } from '../../plugin/persistence/account-lock-repository';
import { HealthRepository } from '../../plugin/persistence/health-repository';
import { NightlyRunRepository } from '../../plugin/persistence/nightly-run-repository';
import { OpsQueueRepository } from '../../plugin/persistence/ops-queue-repository';
import { migratePlugin } from '../../plugin/persistence/migrate';
import { createScratchDatabase } from '../support/test-database';
import { insertConnection } from './ops-support';

const silent = pino({ level: 'silent' });

/**
 * A stand-in for the engine's continuous run that behaves like it where the schedules can see it: it holds
 * the account's real advisory lock (so "already running" is PostgreSQL's answer), and drains the account's
 * client rows (leaving other entities, as a branch without their flow does).
 */
function fakeEngine(knex: Knex, clock: () => Date) {
  const locks = new AccountLockRepository(knex);
  const calls: string[] = [];
  let runId = 0;
  const engine: Pick<EnginePort, 'continuous'> = {
    async continuous(accountId) {
      const lock = await locks.tryLock(accountId);
      if (!lock) return { ok: false, status: 'already_running' };
      try {
        calls.push(accountId);
        await knex('qbo_outbox').where({ account_id: accountId, entity: 'client' }).whereIn('status', ['pending', 'processing']).where('next_attempt_at', '<=', clock()).update({ status: 'done', claimed_at: null, locked_until: null });
        runId += 1;
        return { ok: true, status: 'finished', runId: String(runId) };
      } finally {
        await lock.release();
      }
    },
  };
  return { engine, calls, locks };
}

describe('schedules: the nightly sync and the outbox drain (real PostgreSQL, a controllable clock)', function () {
  this.timeout(30_000);
  let knex: Knex;
  let now: Date;
  const clock = () => now;

  before(async () => {
    ({ knex } = await createScratchDatabase());
    await migratePlugin(knex);
    await insertConnection(knex, 'ny', '9001');
    await insertConnection(knex, 'berlin', '9002');
    await insertConnection(knex, 'paused', '9003', 'needs_reconnect');
    await insertConnection(knex, 'utc', '9004');
    await insertConnection(knex, 'new', '9005');
    // Every account but 'new' had its first sync; the schedules leave 'new' to the admin's first sync.
    const onboarded = (account: string) => ({ account_id: account, kind: 'onboarding', status: 'succeeded', started_at: new Date('2026-11-01T00:00:00Z'), finished_at: new Date('2026-11-01T00:01:00Z') });
    await knex('qbo_sync_runs').insert(['ny', 'berlin', 'paused', 'utc'].map(onboarded));
    const settings = (account: string, time: string, zone: string) => ({ account_id: account, nightly_sync_time: time, nightly_time_zone: zone });
    await knex('qbo_settings').insert([settings('ny', '02:00', 'America/New_York'), settings('berlin', '09:00', 'Europe/Berlin'), settings('paused', '02:00', 'America/New_York')]);
  });

  describe('nightly sync', () => {
    const nightly = (engine: Pick<EnginePort, 'continuous'>, workerId: string, schedule = '0 0 1 1 *') =>
      new NightlySyncJob({ nights: new NightlyRunRepository(knex), engine, runs: new RunsInHand(), logger: silent, clock, schedule, jitterMinutes: 0, catchUpHours: 1, workerId });

    it('runs each connected account once at its own local time, whichever of two processes checks first', async () => {
      const { engine, calls } = fakeEngine(knex, clock);
      const a = nightly(engine, 'proc-a');
      const b = nightly(engine, 'proc-b');
      now = new Date('2026-12-01T06:59:00Z'); // 01:59 in New York
      expect([...(await a.runOnce()), ...(await b.runOnce())]).to.deep.equal([]);
      now = new Date('2026-12-01T07:00:00Z'); // 02:00 in New York; 08:00 in Berlin; 07:00 UTC
      const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
      expect([...ra, ...rb].map((r) => `${r.accountId} ${r.slot} ${r.status}`)).to.deep.equal(['ny 2026-12-01 finished']);
      expect(calls).to.deep.equal(['ny']);
      // The account without settings runs at 02:00 UTC, long past: outside the catch-up hour, it waits for tomorrow.
      now = new Date('2026-12-01T07:40:00Z');
      expect(await a.runOnce()).to.deep.equal([]);
      now = new Date('2026-12-01T08:00:30Z'); // 09:00 in Berlin
      expect((await b.runOnce()).map((r) => r.accountId)).to.deep.equal(['berlin']);
      expect(await a.runOnce()).to.deep.equal([]);
      now = new Date('2026-12-02T02:00:00Z');
      expect((await a.runOnce()).map((r) => `${r.accountId} ${r.slot}`)).to.deep.equal(['utc 2026-12-02']);
      now = new Date('2026-12-02T07:00:10Z');
      expect((await b.runOnce()).map((r) => `${r.accountId} ${r.slot}`)).to.deep.equal(['ny 2026-12-02']);
      expect(calls).to.deep.equal(['ny', 'berlin', 'utc', 'ny']);
      expect(await new NightlyRunRepository(knex).find('ny')).to.deep.equal({ last_slot: '2026-12-02', last_status: 'finished', claimed_by: null });
      expect(await new NightlyRunRepository(knex).find('paused')).to.equal(null);
    });

    it('never overlaps a manual run: the night waits while the account\'s lock is held, then runs', async () => {
      const { engine, calls, locks } = fakeEngine(knex, clock);
      const job = nightly(engine, 'proc-a');
      const manual = await locks.tryLock('berlin');
      expect(manual).to.not.equal(null);
      now = new Date('2026-12-02T08:00:00Z');
      expect((await job.runOnce()).map((r) => `${r.accountId} ${r.status}`)).to.deep.equal(['berlin already_running']);
      expect(await new NightlyRunRepository(knex).find('berlin')).to.include({ last_slot: '2026-12-01', claimed_by: null });
      await manual?.release();
      now = new Date('2026-12-02T08:01:00Z');
      expect((await job.runOnce()).map((r) => `${r.accountId} ${r.status}`)).to.deep.equal(['berlin finished']);
      expect(calls).to.deep.equal(['berlin']);
    });

    it('takes over a night whose worker died holding it, once its lease ran out', async () => {
      const nights = new NightlyRunRepository(knex);
      now = new Date('2026-12-03T07:00:00Z');
      expect(await nights.claim('ny', '2026-12-03', 'dead-worker', now, 60_000)).to.equal(true);
      const { engine, calls } = fakeEngine(knex, clock);
      expect(await nightly(engine, 'proc-b').runOnce()).to.deep.equal([]);
      now = new Date('2026-12-03T07:01:01Z');
      expect((await nightly(engine, 'proc-b').runOnce()).map((r) => r.accountId)).to.deep.equal(['ny']);
      expect(calls).to.deep.equal(['ny']);
    });

    it('fires from its cron schedule at the account\'s local time (the clock stands at 02:00 in New York)', async () => {
      const { engine, calls } = fakeEngine(knex, clock);
      now = new Date('2026-12-04T07:00:05Z');
      const job = nightly(engine, 'proc-cron', '* * * * * *');
      job.start();
      try {
        for (let i = 0; i < 100 && calls.length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
      } finally {
        await job.stop();
      }
      expect(calls).to.deep.equal(['ny']);
      expect(job.isScheduled).to.equal(false);
    });
  });

  describe('outbox drain', () => {
    const drain = (engine: Pick<EnginePort, 'continuous'>) => new DrainScheduler({ queue: new OpsQueueRepository(knex), engine, runs: new RunsInHand(), logger: silent, clock, schedule: '* * * * * *' });
    const row = (account: string, entity: string, recordId: string, extra: Record<string, unknown> = {}) => ({ account_id: account, entity, record_id: recordId, action: 'updated', next_attempt_at: new Date('2026-12-01T00:00:00Z'), ...extra });

    beforeEach(async () => {
      await knex('qbo_outbox').delete();
      now = new Date('2026-12-05T12:00:00Z');
    });

    it('runs the accounts with due rows, never a paused one nor one whose first sync has not run, and backs off from rows no flow takes until new ones arrive', async () => {
      const { engine, calls } = fakeEngine(knex, clock);
      const scheduler = drain(engine);
      await knex('qbo_outbox').insert([row('ny', 'client', '1'), row('berlin', 'invoice', '5'), row('paused', 'client', '9'), row('new', 'client', '4'), row('utc', 'client', '3', { next_attempt_at: new Date('2026-12-05T13:00:00Z') })]);
      expect(await scheduler.runOnce()).to.deep.equal({ berlin: 'finished', ny: 'finished' });
      // ny is drained; berlin's invoice row waits for a flow: no run for it on the next passes…
      now = new Date('2026-12-05T12:00:01Z');
      expect(await scheduler.runOnce()).to.deep.equal({});
      // …until a new row arrives, or the back-off (2 s, then 4 s …) runs out.
      await knex('qbo_outbox').insert(row('berlin', 'client', '6'));
      expect(await scheduler.runOnce()).to.deep.equal({ berlin: 'finished' });
      now = new Date('2026-12-05T12:00:02Z');
      expect(await scheduler.runOnce()).to.deep.equal({});
      now = new Date('2026-12-05T12:00:06Z');
      expect(await scheduler.runOnce()).to.deep.equal({ berlin: 'finished' });
      // The row due later is run when it is due.
      now = new Date('2026-12-05T13:00:00Z');
      expect(Object.keys(await scheduler.runOnce())).to.include('utc');
      expect(calls.filter((a) => a === 'paused' || a === 'new')).to.deep.equal([]);
    });

    it('leaves an account another process is running alone, and picks up a claim whose worker died once its lease ran out', async () => {
      const { engine, calls, locks } = fakeEngine(knex, clock);
      await knex('qbo_outbox').insert(row('ny', 'client', '1', { status: 'processing', claimed_at: now, claimed_by: 'dead', locked_until: new Date('2026-12-05T12:05:00Z') }));
      expect(await drain(engine).runOnce()).to.deep.equal({});
      await knex('qbo_outbox').insert(row('ny', 'client', '2'));
      const other = await locks.tryLock('ny');
      expect(await drain(engine).runOnce()).to.deep.equal({ ny: 'already_running' });
      await other?.release();
      now = new Date('2026-12-05T12:05:01Z');
      const health = new HealthService({ repository: new HealthRepository(knex), clock });
      expect((await health.health({ accountId: 'ny' })).accounts[0]?.leases).to.deep.equal({ expired: 1, oldestExpiredAt: new Date('2026-12-05T12:05:00Z') });
      expect(await drain(engine).runOnce()).to.deep.equal({ ny: 'finished' });
      expect((await health.health({ accountId: 'ny' })).accounts[0]?.leases.expired).to.equal(0);
      expect(calls).to.deep.equal(['ny']);
    });

    it('hands back rows of a run cut off by stop(): pending and due at once, the attempt not counted, a newer pending row kept', async () => {
      const queue = new OpsQueueRepository(knex);
      const claimed = { status: 'processing', claimed_at: now, claimed_by: 'me', locked_until: new Date('2026-12-05T12:05:00Z'), attempts: 1 };
      await knex('qbo_outbox').insert([row('ny', 'client', '1', claimed), row('ny', 'client', '2', claimed), row('ny', 'client', '2'), row('berlin', 'client', '3', claimed)]);
      expect(await queue.handBackProcessing('ny', now)).to.equal(2);
      const rows = await knex('qbo_outbox').orderBy('id').select('account_id', 'record_id', 'status', 'attempts', 'claimed_by');
      expect(rows.map((r: { account_id: string; record_id: string; status: string; attempts: number }) => `${r.account_id}/${r.record_id} ${r.status} ${r.attempts}`)).to.deep.equal([
        'ny/1 pending 0',
        'ny/2 done 1',
        'ny/2 pending 0',
        'berlin/3 processing 1',
      ]);
    });
  });
});
