import { expect } from 'chai';
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
});
