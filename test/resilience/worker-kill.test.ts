import { expect } from 'chai';
import { syncNow, useSyncWorld } from '../integration/sync-support';
import { endState, expectComplete, linked, prng, RECORDS, seededAccount, seedFrom, SIZE, startWorker } from './resilience-support';

const KILLS = 6;
const ONBOARDED = RECORDS - SIZE.invoices - SIZE.payments;
/** Where the linked count stands during each layer: onboarding, invoices, payments. */
const LAYERS: [number, number][] = [
  [1, ONBOARDED],
  [ONBOARDED + 1, ONBOARDED + SIZE.invoices],
  [ONBOARDED + SIZE.invoices + 1, RECORDS],
];

describe('resilience: the worker process killed with SIGKILL at random points of an onboarding and an invoice and payment push', function () {
  this.timeout(240_000);
  const suite = useSyncWorld();

  it('ends, after a restart, in the same state as a clean run: zero duplicates and zero lost records on both sides', async () => {
    const { world } = suite;
    const seed = seedFrom('KILL_SEED');
    const random = prng(seed);
    const clean = await seededAccount(world, 'Res Kill Clean');
    const killed = await seededAccount(world, 'Res Kill Killed');

    await syncNow(world, clean.accountId, 'continuous');
    const expected = await endState(world, clean);
    expectComplete(expected, 'the clean run');

    // A little latency widens the windows between a send, its answer and its mapping.
    world.sandbox.control.setLatency(25);
    const killedAt: string[] = [];
    for (let k = 0; k < KILLS; k += 1) {
      const worker = startWorker(world, killed.accountId);
      const done = await linked(world, killed.accountId);
      // Every other kill lands while a durable batch is open (committed, maybe sent, its answer not stored);
      // the others at a random point of the onboarding, then of the invoices, then of the payments (mid-layer,
      // between an answer and its mapping).
      const whileOpen = k % 2 === 0;
      const [from, to] = LAYERS[Math.floor(k / 2)] ?? [0, RECORDS];
      const target = Math.max(done + 1, from + Math.floor(random() * (to - from)));
      const due = async (): Promise<boolean> =>
        whileOpen ? (await world.knex('qbo_write_batches').where({ account_id: killed.accountId, state: 'open' })).length > 0 && random() < 0.5 : (await linked(world, killed.accountId)) >= target;
      while (worker.code() === undefined && !(await due())) await new Promise((r) => setTimeout(r, 3));
      if (worker.code() === undefined) {
        worker.child.kill('SIGKILL');
        await worker.exited;
        const phase = (await world.knex('qbo_sync_runs').where({ account_id: killed.accountId }).orderBy('id', 'desc').first()) as { phase?: string } | undefined;
        killedAt.push(`${await linked(world, killed.accountId)}${whileOpen ? ' (batch open)' : ''}${phase?.phase ? ` in ${phase.phase}` : ''}`);
      }
    }
    const last = startWorker(world, killed.accountId);
    const code = await last.exited;
    world.sandbox.control.setLatency(0);
    const context = `seed ${seed}, killed at ${killedAt.join('; ')} of ${RECORDS}`;
    expect(code, `${context}: ${last.output()}`).to.equal(0);
    expect(killedAt.length, `${context}: kills landed`).to.be.greaterThanOrEqual(3);

    const actual = await endState(world, killed);
    expectComplete(actual, context);
    expect(actual, context).to.deep.equal(expected);
    // Each killed run was closed as cancelled by the next; none is left running; the last one succeeded.
    const runs = (await world.knex('qbo_sync_runs').where({ account_id: killed.accountId }).orderBy('id')) as { status: string }[];
    expect(runs.filter((r) => r.status === 'running'), context).to.have.length(0);
    expect(runs[runs.length - 1]?.status, context).to.equal('succeeded');
    if (process.env.RESILIENCE_DEBUG) process.stderr.write(`${context}\n`);
  });
});
