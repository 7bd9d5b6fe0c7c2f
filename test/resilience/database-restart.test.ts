import { expect } from 'chai';
import { startOwnPostgres, startOwnWorld, type OwnPostgres, type OwnWorld } from './own-postgres';
import { endState, expectComplete, linked, prng, RECORDS, seededAccount, seedFrom, startWorker } from './resilience-support';

/** Until the database answers again (the pool's connections died with the server). */
async function reachable(world: OwnWorld): Promise<void> {
  for (let i = 0; ; i += 1) {
    try {
      await world.knex.raw('SELECT 1');
      return;
    } catch (error) {
      if (i > 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('resilience: the database restarted in the middle of a run (a PostgreSQL of the suite\'s own, never the system server)', function () {
  this.timeout(240_000);
  let server: OwnPostgres | undefined;
  let world: OwnWorld | undefined;
  before(async () => {
    server = await startOwnPostgres();
    world = await startOwnWorld(server);
  });
  after(async () => {
    await world?.close();
    await server?.stop();
  });

  it('fails that run cleanly (the worker exits with the failure, no hang) and the next run completes with the state of a clean run', async () => {
    if (!world || !server) throw new Error('started in before');
    const seed = seedFrom('DB_SEED');
    const random = prng(seed);
    const clean = await seededAccount(world, 'Res DB Clean');
    const first = await world.work.plugin.sync.sync(clean.accountId, { kind: 'continuous' });
    expect(first.status).to.equal('finished');
    const expected = await endState(world, clean);
    expectComplete(expected, 'the clean run');

    const account = await seededAccount(world, 'Res DB Restarted');
    world.sandbox.control.setLatency(20);
    const target = 20 + Math.floor(random() * (RECORDS - 60));
    const worker = startWorker(world, account.accountId);
    while (worker.code() === undefined && (await linked(world, account.accountId)) < target) await new Promise((r) => setTimeout(r, 5));
    const stoppedAt = await linked(world, account.accountId);
    const context = `seed ${seed}: database stopped at ${stoppedAt} of ${RECORDS} linked`;
    expect(worker.code(), `${context}: the worker was still running`).to.equal(undefined);
    await server.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await server.start();
    const started = Date.now();
    const code = await worker.exited;
    const failedAfterMs = Date.now() - started;
    world.sandbox.control.setLatency(0);
    await reachable(world);
    if (process.env.RESILIENCE_DEBUG) process.stderr.write(`${context}; the worker exited ${String(code)} ${failedAfterMs} ms after the restart:\n${worker.output().slice(0, 1500)}\n`);
    // The run failed and said so: exit code 1, a message rather than a crash with a half-written state.
    expect(code, `${context}: ${worker.output()}`).to.equal(1);
    expect(worker.output(), context).not.to.match(/unhandled|uncaught/i);
    expect(await linked(world, account.accountId), context).to.be.lessThan(RECORDS);

    const next = startWorker(world, account.accountId);
    expect(await next.exited, `${context}: ${next.output()}`).to.equal(0);
    const runs = (await world.knex('qbo_sync_runs').where({ account_id: account.accountId }).orderBy('id')) as { status: string; error: string | null }[];
    expect(runs.map((r) => r.status), context).to.deep.equal([runs[0]?.status === 'failed' ? 'failed' : 'cancelled', 'succeeded']);

    const actual = await endState(world, account);
    expectComplete(actual, context);
    expect(actual, context).to.deep.equal(expected);
  });
});
