import { expect } from 'chai';
import { AccountLockRepository } from '../../plugin/persistence/account-lock-repository';
import { startEngineWorld, type EngineWorld } from '../../bench/engine/engine-world';
import { measureOnboarding } from '../../bench/onboarding-calls';

/**
 * The engine benchmarks' machinery: the engine in a child process onboards and its calls are counted against
 * the floor; the bench-only worker claims accounts with the engine's advisory lock, skips one another
 * process holds and one already done tonight, and refuses to start without accounts.
 */
describe('bench: the engine in child processes (onboarding measure, fleet worker)', function () {
  this.timeout(120_000);
  let world: EngineWorld;

  before(async () => {
    world = await startEngineWorld({ latencyMs: 0 });
  });
  after(() => world.close());

  async function accountWithClients(name: string, clients: string[], customers: string[]): Promise<{ accountId: string; realmId: string }> {
    const account = await world.connectAccount(name);
    await world.knex('clients').insert(clients.map((c) => ({ account_id: account.accountId, company_name: c, active: true })));
    world.sandbox.control.bulkLoad(account.realmId, 'Customer', customers.map((c) => ({ DisplayName: c, CompanyName: c, Active: true })));
    return account;
  }

  it('onboards in a child process: calls counted per realm against the floor over layers read from the sandbox', async () => {
    const { accountId, realmId } = await accountWithClients('Measure', ['Alpha Co', 'Beta Co', 'Gamma Co'], ['Alpha Co', 'Delta Co']);
    const m = await measureOnboarding(world, accountId, realmId, 3);
    const customers = m.layers.find((l) => l.name === 'customers');
    expect(customers?.reads).to.equal(2);
    // Beta and Gamma created in QBO (Alpha linked; whether the link merged fields into QBO decides one more write).
    expect(customers?.writes).to.be.within(2, 3);
    expect(m.floor).to.equal(1 + 1 + 1 + 1);
    expect(m.calls).to.equal(m.reads + m.batchWrites + m.otherWrites);
    expect(m.calls).to.be.at.least(m.floor);
    expect(m.records).to.equal(3 + 2);
    expect(m.cpuMs).to.be.greaterThan(0);
    expect(m.peakRssMb).to.be.greaterThan(0);
    expect(world.sandbox.control.objects(realmId, 'Customer').map((c) => c['DisplayName'])).to.include.members(['Beta Co', 'Gamma Co']);
  });

  it('the worker syncs each account once: skips one whose lock another process holds, then one already done', async () => {
    const a = await accountWithClients('Worker A', ['A One'], []);
    const b = await accountWithClients('Worker B', ['B One'], []);
    const c = await accountWithClients('Worker C', ['C One'], []);
    const ids = [a.accountId, b.accountId, c.accountId];
    const since = new Date();
    const held = await new AccountLockRepository(world.knex).tryLock(b.accountId);
    if (!held) throw new Error('fixture: could not take B\'s lock');
    try {
      const first = await world.startWorker(ids, 'onboarding', since, 0);
      first.go();
      expect(await first.done).to.include({ synced: 2, skippedLocked: 1, skippedDone: 0, failed: 0 });
    } finally {
      await held.release();
    }
    const second = await world.startWorker(ids, 'onboarding', since, 1);
    second.go();
    expect(await second.done).to.include({ synced: 1, skippedLocked: 0, skippedDone: 2, failed: 0 });
    const runs = await world.knex('qbo_sync_runs').whereIn('account_id', ids).select('account_id');
    expect(runs.map((r: { account_id: string | number }) => String(r.account_id)).sort()).to.deep.equal([...ids].sort());
  });

  it('a worker without accounts refuses to start, saying what is missing, and syncs nothing', async () => {
    const before = Number((await world.knex('qbo_sync_runs').count<{ n: string }[]>({ n: '*' }).first())?.n ?? 0);
    let error: unknown = null;
    try {
      await world.startWorker([], 'continuous', new Date(), 0);
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain('--accounts and --since are required');
    const after = Number((await world.knex('qbo_sync_runs').count<{ n: string }[]>({ n: '*' }).first())?.n ?? 0);
    expect(after).to.equal(before);
  });
});
