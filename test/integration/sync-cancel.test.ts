import { expect } from 'chai';
import { ConnectionRepository } from '../../plugin/persistence/connection-repository';
import { createEngineDeps } from '../../plugin/sync/engine/create-sync-engine';
import { runExclusive } from '../../plugin/sync/engine/run-lifecycle';
import { SYNC_TEXTS } from '../../plugin/messages';
import { addClient, client, newSyncAccount, useSyncWorld } from './sync-support';

/**
 * The cooperative cancel the admin's "Sync now" page uses: a request stops the run at its next checkpoint
 * (after the batch in hand is stored), the run ends "cancelled" with what it did kept, and the next run
 * goes ahead as usual.
 */
describe('sync cancel (cooperative, at the next checkpoint)', () => {
  const suite = useSyncWorld();

  function deps() {
    const { world } = suite;
    return createEngineDeps({
      knex: world.knex,
      work: world.work.models,
      connections: new ConnectionRepository(world.knex),
      tokens: world.work.plugin.tokens,
      logger: world.logger,
      clock: world.pluginClock,
      apiBaseUrl: world.pluginOptions.apiBaseUrl ?? '',
    });
  }

  it('answers false when nothing runs, and a requested cancel ends the run as cancelled at its next checkpoint, keeping what it recorded', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world);
    expect(await world.work.plugin.sync.cancel(account.accountId)).to.equal(false);
    const engineDeps = deps();
    let afterCheckpoint = false;
    const result = await runExclusive(engineDeps, account.accountId, 'manual', false, async (ctx) => {
      await ctx.recorder.record({ entity: 'client', workId: '1', qboId: null, level: 'info', outcome: 'unchanged', reasonCode: 'unchanged', reason: 'same' });
      expect(await world.work.plugin.sync.cancel(account.accountId)).to.equal(true);
      expect(await world.work.plugin.sync.cancel(account.accountId), 'asked once').to.equal(false);
      await ctx.recorder.setPhase('clients');
      afterCheckpoint = true;
    });
    expect(afterCheckpoint, 'the body stopped at the checkpoint').to.equal(false);
    expect(result.status).to.equal('failed');
    if (result.status !== 'failed') throw new Error('unreachable');
    expect(result.error).to.equal(SYNC_TEXTS.runCancelled);
    expect(result.run.status).to.equal('cancelled');
    expect(result.run.counts).to.deep.equal({ client: { unchanged: 1 } });
    const logged = await world.knex('qbo_sync_log').where({ account_id: account.accountId, run_id: result.run.id });
    expect(logged).to.have.length(1);
    engineDeps.qbo.close();

    // The next run is not touched by the old request.
    await addClient(world, account.accountId, client('After Cancel Co'));
    const next = await world.work.plugin.sync.sync(account.accountId, { kind: 'onboarding' });
    expect(next.status).to.equal('finished');
    if (next.status !== 'finished') throw new Error('unreachable');
    expect(next.run.status).to.equal('succeeded');
    expect(next.run.expected).to.deep.equal({ client: 1, site: 0 });
  });
});
