import { expect } from 'chai';
import { SyncLogRepository } from '../../plugin/persistence/sync-log-repository';
import { SyncRunRepository } from '../../plugin/persistence/sync-run-repository';
import { RunRecorder } from '../../plugin/sync/engine/run-recorder';
import { compressedClock, engineOn } from '../resilience/engine-on';
import { addClient, addSite, client, customer, loadCustomers, logOf, newSyncAccount, qboCustomers, site, useSyncWorld } from './sync-support';

describe('sync: a record that failed and then went through before its back-off ended', function () {
  this.timeout(60_000);
  const suite = useSyncWorld();

  it('no longer waits for a retry (found by the resilience suite: failures stayed "awaiting retry" after the record was created)', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world, 'Settle After Success');
    const c = await addClient(world, account.accountId, client('Settle Client', { email: 'settle@x.test' }));
    await addSite(world, account.accountId, c.id, site('Settle Site'));
    loadCustomers(world, account.realmId, [customer('Settle Client', { PrimaryEmailAddr: { Address: 'settle@x.test' } })]);
    // The client links without a write; the site's create is the only batch: every send of it is dropped.
    world.sandbox.control.armFault({ kind: 'drop', count: 5, method: 'POST', path: '/batch$', realmId: account.realmId });
    const engine = engineOn(world, world.sandbox.baseUrl, compressedClock(200));
    try {
      expect((await engine.sync(account.accountId, { kind: 'onboarding' })).status).to.equal('finished');
      const failed = (await logOf(world, account.accountId)).filter((e) => e.entity === 'site' && e.outcome === 'failed');
      expect(failed, 'the site failed first').to.have.length(1);
      expect(failed[0]?.next_attempt_at).not.to.equal(null);

      // A manual run a moment later (its back-off of a minute not over) creates the site.
      expect((await engine.sync(account.accountId, { kind: 'manual' })).status).to.equal('finished');
    } finally {
      engine.close();
    }
    expect(qboCustomers(world, account.realmId).filter((q) => q['Job'] === true)).to.have.length(1);
    const log = await logOf(world, account.accountId);
    expect(log.filter((e) => e.entity === 'site' && e.outcome === 'created_in_qbo'), 'the site went through').to.have.length(1);
    expect(log.filter((e) => e.next_attempt_at !== null).map((e) => `${e.entity} ${e.reason_code}`), 'nothing waits for a retry').to.deep.equal([]);
  });

  it('in one flush: a failure followed by a success is settled; a success followed by a failure stays due', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world, 'Settle In One Flush');
    const runs = new SyncRunRepository(world.knex);
    const log = new SyncLogRepository(world.knex);
    const run = await runs.start(account.accountId, 'continuous', false, new Date());
    const recorder = new RunRecorder({ runs, log, clock: () => new Date() }, account.accountId, run.id, false);
    const failed = (workId: string | null, qboId: string | null) => recorder.record({ entity: 'site', workId, qboId, level: 'error', outcome: 'failed', reasonCode: 'qbo_unreachable', reason: 'r' });
    const created = (workId: string, qboId: string) => recorder.record({ entity: 'site', workId, qboId, level: 'info', outcome: 'created_in_qbo', reasonCode: 'created_sub_customer', reason: 'r' });
    await failed('1', null);
    await created('1', '101');
    await created('2', '102');
    await failed('2', null);
    // A QBO-side record (no Work id yet) that failed, then was created in Work.
    await failed(null, '103');
    await recorder.record({ entity: 'site', workId: '3', qboId: '103', level: 'info', outcome: 'created_in_work', reasonCode: 'created_site_in_work', reason: 'r' });
    await recorder.flush();
    const due = (await logOf(world, account.accountId)).filter((e) => e.next_attempt_at !== null).map((e) => `${String(e.work_id)}/${String(e.qbo_id)}`);
    expect(due).to.deep.equal(['2/null']);
  });
});
