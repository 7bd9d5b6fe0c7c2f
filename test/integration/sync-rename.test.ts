import { expect } from 'chai';
import { addClient, client, customer, loadCustomers, logOf, newSyncAccount, qboCustomers, syncNow, useSyncWorld, type SyncAccount } from './sync-support';
import type { World } from './connect-sandbox-support';

/** One linked client (onboarded, its outbox drained), ready to be renamed in Work. */
async function linked(world: World): Promise<SyncAccount & { workId: string; qboId: string }> {
  const account = await newSyncAccount(world);
  const [q] = loadCustomers(world, account.realmId, [customer('Willow Creek Dental', { PrimaryEmailAddr: { Address: 'dr@willow.test' } })]);
  const c = await addClient(world, account.accountId, client('Willow Creek Dental', { email: 'dr@willow.test' }));
  await syncNow(world, account.accountId, 'onboarding');
  await syncNow(world, account.accountId, 'continuous');
  return { ...account, workId: c.id, qboId: String(q?.['Id']) };
}

describe('continuous sync: a linked client renamed in Work (DisplayName chosen like a create)', () => {
  const suite = useSyncWorld();
  const customerOf = (world: World, a: SyncAccount & { qboId: string }) => qboCustomers(world, a.realmId).find((c) => c['Id'] === a.qboId);

  it('a name a vendor, an inactive customer or another customer holds gets the deterministic suffix, logged; nothing fails', async () => {
    const { world } = suite;
    for (const [holder, expected] of [['vendor', 'Oak Hill Supply (2)'], ['inactive', 'Pine Ridge Farms (2)'], ['customer', 'Cedar Lane Books (3)']] as const) {
      const a = await linked(world);
      if (holder === 'vendor') world.sandbox.control.bulkLoad(a.realmId, 'Vendor', [{ DisplayName: 'Oak Hill Supply', Active: true }]);
      if (holder === 'inactive') loadCustomers(world, a.realmId, [customer('Pine Ridge Farms (deleted)', { CompanyName: 'Pine Ridge Farms', Active: false })]);
      // "(2)" is taken as well: the suffix is the lowest free one.
      if (holder === 'customer') loadCustomers(world, a.realmId, [customer('Cedar Lane Books'), customer('cedar lane books (2)', { CompanyName: 'Other' })]);
      const name = expected.replace(/ \(\d\)$/, '');
      await world.work.models.clients.update(a.accountId, a.workId, { companyName: name });
      const { run } = await syncNow(world, a.accountId, 'continuous');
      expect(run.counts['client'], holder).to.include({ updated_in_qbo: 1 });
      expect(run.counts['client']?.['failed'] ?? 0, holder).to.equal(0);
      expect(customerOf(world, a), holder).to.include({ DisplayName: expected, CompanyName: name });
      const log = (await logOf(world, a.accountId)).filter((l) => l.run_id === run.id);
      expect(log.find((l) => l.reason_code === 'name_suffixed')?.details, holder).to.have.property('detail').that.contains(expected);
      // The next run sends nothing (no echo of the suffix as a rename).
      const again = await syncNow(world, a.accountId, 'continuous');
      expect(again.run.counts['client']?.['updated_in_qbo'] ?? 0, holder).to.equal(0);
    }
  });

  it('sends the full company name as DisplayName (up to 500) while CompanyName is cut to 100', async () => {
    const { world } = suite;
    const a = await linked(world);
    const long = `Willow Creek Dental and Orthodontics of the Greater Springfield Metropolitan Area, Incorporated ${'x'.repeat(60)}`;
    await world.work.models.clients.update(a.accountId, a.workId, { companyName: long });
    await syncNow(world, a.accountId, 'continuous');
    const q = customerOf(world, a);
    expect(q?.['DisplayName']).to.equal(long);
    expect(Array.from(String(q?.['CompanyName']))).to.have.length(100);
    expect(long.startsWith(String(q?.['CompanyName']))).to.equal(true);
  });

  it('a 6240 on the rename (a name QBO holds that our lookup missed) is sent once more with the next suffix, logged', async () => {
    const { world } = suite;
    const a = await linked(world);
    // QuickBooks collapses runs of spaces when it compares names; our prefix lookup does not see this one.
    world.sandbox.control.bulkLoad(a.realmId, 'Vendor', [{ DisplayName: 'Birch  Bakery', Active: true }]);
    await world.work.models.clients.update(a.accountId, a.workId, { companyName: 'Birch Bakery' });
    const { run } = await syncNow(world, a.accountId, 'continuous');
    expect(customerOf(world, a)).to.include({ DisplayName: 'Birch Bakery (2)', CompanyName: 'Birch Bakery' });
    expect(run.counts['client']).to.include({ updated_in_qbo: 1 });
    expect(run.counts['client']?.['failed'] ?? 0).to.equal(0);
    const log = (await logOf(world, a.accountId)).filter((l) => l.run_id === run.id);
    expect(log.some((l) => l.reason_code === 'name_suffixed')).to.equal(true);
    const pending = await world.knex('qbo_outbox').where({ account_id: a.accountId, status: 'pending', entity: 'client' });
    expect(pending).to.have.length(0);
  });
});
