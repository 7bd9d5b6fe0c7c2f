import { expect } from 'chai';
import { addClient, addSite, client, customer, loadCustomers, logOf, newSyncAccount, qboCustomers, site, stateOf, syncNow, useSyncWorld, workClients, workSites } from './sync-support';

describe('sync onboarding against the QBO sandbox (FAQ rules, end to end)', () => {
  const suite = useSyncWorld();

  it('links matches, creates both ways, imports only active customers, turns sub-customers into sites and sites into sub-customers', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world);
    const acme = await addClient(world, account.accountId, client('Acme Heating', { email: 'office@acme.test', phone: '555-0100' }));
    const bolt = await addClient(world, account.accountId, client('Bolt Electric', { email: 'bolt@bolt.test' }));
    await addSite(world, account.accountId, bolt.id, site('Bolt Warehouse'));
    const [qAcme] = loadCustomers(world, account.realmId, [customer('ACME  heating', { PrimaryEmailAddr: { Address: 'OFFICE@acme.test' } })]);
    const [qCedar] = loadCustomers(world, account.realmId, [customer('Cedar Dental', { PrimaryEmailAddr: { Address: 'hi@cedar.test' } })]);
    loadCustomers(world, account.realmId, [customer('North Office', { CompanyName: undefined, FullyQualifiedName: 'Cedar Dental:North Office', Job: true, ParentRef: { value: String(qCedar?.['Id']) }, BillWithParent: true })]);
    loadCustomers(world, account.realmId, [customer('Dormant Co', { Active: false })]);

    const result = await syncNow(world, account.accountId, 'onboarding');
    expect(result.run.status).to.equal('succeeded');

    const clients = await workClients(world, account.accountId);
    expect(clients.map((c) => c.companyName).sort()).to.deep.equal(['Acme Heating', 'Bolt Electric', 'Cedar Dental']);
    const sites = await workSites(world, account.accountId);
    expect(sites.map((s) => s.name).sort()).to.deep.equal(['Bolt Warehouse', 'North Office']);
    const qbo = qboCustomers(world, account.realmId);
    const names = qbo.map((c) => c['DisplayName']);
    expect(names.filter((n) => n === 'Bolt Electric')).to.have.length(1);
    // Linked, not duplicated: one Acme in QBO (the first link merges the two spellings, newer wins, logged).
    expect(names.filter((n) => /acme/i.test(String(n)))).to.have.length(1);
    const warehouse = qbo.find((c) => c['DisplayName'] === 'Bolt Warehouse');
    const boltQbo = qbo.find((c) => c['DisplayName'] === 'Bolt Electric');
    expect(warehouse).to.include({ Job: true });
    expect((warehouse?.['ParentRef'] as { value: string }).value).to.equal(boltQbo?.['Id']);
    const mapping = await world.knex('qbo_mappings').where({ account_id: account.accountId, entity: 'client', work_id: acme.id }).first();
    expect(mapping?.qbo_id).to.equal(qAcme?.['Id']);
    expect(mapping?.last_hash).to.match(/^[0-9a-f]{64}$/);
    // Inactive customers are never imported.
    expect(clients.map((c) => c.companyName)).not.to.include('Dormant Co');
    const log = await logOf(world, account.accountId);
    expect(log.find((l) => l.work_id === acme.id && l.outcome === 'linked')?.reason_code).to.equal('linked_company_and_email');
    expect(result.run.counts['client']).to.include({ linked: 1, created_in_qbo: 1, created_in_work: 1 });

    // A second onboarding changes nothing: no duplicates anywhere.
    const before = await stateOf(world, account);
    const again = await syncNow(world, account.accountId, 'onboarding');
    expect(again.run.counts['client'] ?? {}).not.to.have.property('created_in_qbo');
    expect(qboCustomers(world, account.realmId)).to.have.length(qbo.length);
    expect(await workClients(world, account.accountId)).to.have.length(3);
    expect(JSON.parse(await stateOf(world, account)).qbo).to.deep.equal(JSON.parse(before).qbo);
  });
});
