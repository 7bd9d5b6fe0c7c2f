import { expect } from 'chai';
import { LOCK_LOST } from '../../plugin/sync/engine/run-recorder';
import { syncNow, useSyncWorld } from '../integration/sync-support';
import { compressedClock, engineOn } from './engine-on';
import { endState, expectComplete, linked, prng, RECORDS, seededAccount, seedFrom, SIZE } from './resilience-support';

describe('resilience: the run\'s lock connection terminated mid-run (pg_terminate_backend of its backend only)', function () {
  this.timeout(240_000);
  const suite = useSyncWorld();

  it('stops that run with its reason instead of running on unlocked beside a second run; the next run completes as a clean run would', async () => {
    const { world } = suite;
    const seed = seedFrom('LOCK_SEED');
    const random = prng(seed);
    const clean = await seededAccount(world, 'Res Lock Clean');
    await syncNow(world, clean.accountId, 'continuous');
    const expected = await endState(world, clean);
    expectComplete(expected, 'the clean run');

    const account = await seededAccount(world, 'Res Lock Lost');
    world.sandbox.control.setLatency(30);
    // A point before the payments, so a phase boundary (where a run checks its lock) follows it.
    const target = 20 + Math.floor(random() * (RECORDS - SIZE.payments - 40));
    const first = world.work.plugin.sync.sync(account.accountId, { kind: 'continuous' }).catch((error: unknown) => ({ status: 'threw' as const, error: String(error) }));
    while ((await linked(world, account.accountId)) < target) await new Promise((r) => setTimeout(r, 5));
    // Only the lock's backend: the run's other connections live on (a network blip, an admin's terminate).
    const terminated = await world.knex.raw<{ rows: { done: boolean }[] }>(
      `SELECT pg_terminate_backend(pid) AS done FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    const context = `seed ${seed}: lock connection terminated at ${await linked(world, account.accountId)} of ${RECORDS} linked`;
    expect(terminated.rows.map((r) => r.done), context).to.deep.equal([true]);
    const result = await first;
    world.sandbox.control.setLatency(0);
    // The run ends as a failed run with the reason (not an exception from releasing a lock that is gone).
    expect(result.status, `${context}: ${JSON.stringify(result)}`).to.equal('failed');
    expect('error' in result ? result.error : '', context).to.equal(LOCK_LOST);

    const engine = engineOn(world, world.sandbox.baseUrl, compressedClock(1));
    try {
      const next = await engine.sync(account.accountId, { kind: 'continuous' });
      expect(next.status, `${context}: ${JSON.stringify(next)}`).to.equal('finished');
    } finally {
      engine.close();
    }
    const actual = await endState(world, account);
    expectComplete(actual, context);
    expect(actual, context).to.deep.equal(expected);
  });
});
