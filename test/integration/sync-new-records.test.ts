import { expect } from 'chai';
import { addClient, client, customer, editInQbo, lastSeq, loadCustomers, logOf, newSyncAccount, postsSince, qboCustomers, syncNow, useSyncWorld, workClients, workSites, type QboObject } from './sync-support';
import type { World } from './connect-sandbox-support';

/** Create a customer in "QuickBooks" the way a bookkeeper's app would: over the real API. */
async function createInQbo(world: World, realmId: string, body: QboObject): Promise<QboObject> {
  const response = await fetch(`${world.sandbox.baseUrl}/v3/company/${realmId}/customer?minorversion=75`, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.sandbox.issueAccessToken(realmId)}`, accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { Customer?: QboObject };
  if (response.status !== 200 || !answer.Customer) throw new Error(`create in QBO failed: ${response.status} ${JSON.stringify(answer)}`);
  return answer.Customer;
}

async function mappingOf(world: World, accountId: string, by: { workId?: string | undefined; qboId?: string | undefined }): Promise<{ work_id: string; qbo_id: string } | undefined> {
  const where: Record<string, string> = { account_id: accountId, entity: 'client' };
  if (by.workId) where['work_id'] = by.workId;
  if (by.qboId) where['qbo_id'] = by.qboId;
  return (await world.knex('qbo_mappings').where(where).first()) as { work_id: string; qbo_id: string } | undefined;
}

describe('continuous sync: clients and customers created after onboarding', () => {
  const suite = useSyncWorld();

  it('a customer created in QuickBooks reaches Work on the next continuous run, linked, without echo', async () => {
    const { world } = suite;
    const a = await newSyncAccount(world);
    await syncNow(world, a.accountId, 'onboarding');
    const q = await createInQbo(world, a.realmId, { DisplayName: 'Quartz Labs', CompanyName: 'Quartz Labs', PrimaryEmailAddr: { Address: 'lab@quartz.test' }, Notes: 'Gate code 1234' });
    const { run } = await syncNow(world, a.accountId, 'continuous');
    expect(run.counts['client']).to.include({ created_in_work: 1 });
    const made = (await workClients(world, a.accountId)).find((c) => c.companyName === 'Quartz Labs');
    expect(made).to.include({ email: 'lab@quartz.test', notes: 'Gate code 1234' });
    expect((await mappingOf(world, a.accountId, { workId: made?.id }))?.qbo_id).to.equal(q['Id']);
    const seq = lastSeq(world);
    await syncNow(world, a.accountId, 'continuous');
    expect(postsSince(world, a.realmId, seq)).to.equal(0);
    expect((await workClients(world, a.accountId)).filter((c) => c.companyName === 'Quartz Labs')).to.have.length(1);
  });

  it('a new customer is matched first against unlinked Work clients (company and email), and ambiguity goes to review', async () => {
    const { world } = suite;
    const a = await newSyncAccount(world);
    // Two Work clients with one name are blocked at onboarding (duplicate in Work), so they stay unlinked.
    const twins = [await addClient(world, a.accountId, client('Twin Peaks Co')), await addClient(world, a.accountId, client('Twin Peaks Co'))];
    await syncNow(world, a.accountId, 'onboarding');
    await syncNow(world, a.accountId, 'continuous');
    const before = (await workClients(world, a.accountId)).length;
    const sage = await addClient(world, a.accountId, client('Sage Cafe', { email: 'owner@sage.test' }));
    const sageQ = await createInQbo(world, a.realmId, { DisplayName: 'Rosa Sage', CompanyName: 'Sage Cafe', GivenName: 'Rosa', PrimaryEmailAddr: { Address: 'OWNER@sage.test' } });
    const supplies = await createInQbo(world, a.realmId, { DisplayName: 'Sage Cafe Supplies', CompanyName: 'Sage Cafe', PrimaryEmailAddr: { Address: 'sales@supplies.test' } });
    const peaks = await createInQbo(world, a.realmId, { DisplayName: 'Twin Peaks Co', CompanyName: 'Twin Peaks Co' });
    const customersBefore = qboCustomers(world, a.realmId).length;
    const { run } = await syncNow(world, a.accountId, 'continuous');
    // Company name and email first: the Work client links to "Rosa Sage", nothing is created on either side.
    expect((await mappingOf(world, a.accountId, { workId: sage.id }))?.qbo_id).to.equal(sageQ['Id']);
    expect(qboCustomers(world, a.realmId).filter((c) => c['CompanyName'] === 'Sage Cafe')).to.have.length(2);
    expect(qboCustomers(world, a.realmId)).to.have.length(customersBefore);
    const log = (await logOf(world, a.accountId)).filter((l) => l.run_id === run.id);
    expect(log.find((l) => l.work_id === sage.id && l.outcome === 'linked')?.reason_code).to.equal('linked_company_and_email');
    // The other "Sage Cafe" shares its company name with an active customer: blocked, not imported.
    expect(log.find((l) => l.qbo_id === supplies['Id'])?.reason_code).to.equal('duplicate_in_qbo');
    const review = await world.knex('qbo_review').where({ account_id: a.accountId, status: 'open' });
    const reviewed = [...new Set(review.map((r: { work_id: string | null; qbo_id: string | null }) => r.work_id ?? r.qbo_id))];
    expect(reviewed).to.include.members([String(peaks['Id']), ...twins.map((t) => t.id)]);
    expect(await mappingOf(world, a.accountId, { qboId: String(peaks['Id']) })).to.equal(undefined);
    expect((await workClients(world, a.accountId)).filter((c) => c.companyName === 'Twin Peaks Co')).to.have.length(2);
    expect(log.some((l) => l.qbo_id === peaks['Id'] && l.outcome === 'review')).to.equal(true);
    // Only the client added in Work is new there: nothing was imported.
    expect((await workClients(world, a.accountId)).length).to.equal(before + 1);
  });
});

describe('continuous sync: new records that stay put', () => {
  const suite = useSyncWorld();

  it('a customer we created whose mapping was lost (killed in between) is adopted, never imported back as a second client', async () => {
    const { world } = suite;
    const a = await newSyncAccount(world);
    await syncNow(world, a.accountId, 'onboarding');
    // No company name: a blank company never matches, so only adoption can tell this customer is ours.
    const pat = await addClient(world, a.accountId, client(null, { firstName: 'Pat', lastName: 'Lee' }));
    await syncNow(world, a.accountId, 'continuous');
    const mapped = await mappingOf(world, a.accountId, { workId: pat.id });
    expect(mapped).to.not.equal(undefined);
    await world.knex('qbo_mappings').where({ account_id: a.accountId, work_id: pat.id }).delete();
    await syncNow(world, a.accountId, 'continuous');
    expect((await workClients(world, a.accountId)).filter((c) => c.firstName === 'Pat')).to.have.length(1);
    expect((await mappingOf(world, a.accountId, { workId: pat.id }))?.qbo_id).to.equal(mapped?.qbo_id);
    expect(qboCustomers(world, a.realmId).filter((c) => c['DisplayName'] === 'Pat Lee')).to.have.length(1);
    // Adopted before the pull planned: not sent to the review list as a stranger holding the client's name.
    expect(await world.knex('qbo_review').where({ account_id: a.accountId })).to.have.length(0);
  });

  it('a new sub-customer is only logged (sites follow at onboarding), a new inactive customer is left alone', async () => {
    const { world } = suite;
    const a = await newSyncAccount(world);
    loadCustomers(world, a.realmId, [customer('Harbor Marine')]);
    await syncNow(world, a.accountId, 'onboarding');
    const parent = qboCustomers(world, a.realmId).find((c) => c['DisplayName'] === 'Harbor Marine');
    const sub = await createInQbo(world, a.realmId, { DisplayName: 'Harbor Marine - Dock 4', Job: true, BillWithParent: true, ParentRef: { value: parent?.['Id'] } });
    const gone = await createInQbo(world, a.realmId, { DisplayName: 'Retired Rentals', CompanyName: 'Retired Rentals' });
    await editInQbo(world, a.realmId, String(gone['Id']), { Active: false });
    const clientsBefore = (await workClients(world, a.accountId)).length;
    const { run } = await syncNow(world, a.accountId, 'continuous');
    const log = (await logOf(world, a.accountId)).filter((l) => l.run_id === run.id);
    const noted = log.filter((l) => l.qbo_id === sub['Id']);
    expect(noted.map((l) => [l.entity, l.level, l.reason_code])).to.deep.equal([['site', 'info', 'sub_customer_not_synced_continuously']]);
    expect(await workSites(world, a.accountId)).to.have.length(0);
    expect(log.filter((l) => l.qbo_id === gone['Id'])).to.have.length(0);
    expect((await workClients(world, a.accountId)).length).to.equal(clientsBefore);
  });

  it('a client created in Work after onboarding links to the unlinked customer with its company name and email, never a duplicate', async () => {
    const { world } = suite;
    const a = await newSyncAccount(world);
    // Two active "Ironwood Fitness" customers: blocked at onboarding (duplicate in QuickBooks), both unlinked.
    const [hank, old] = loadCustomers(world, a.realmId, [
      customer('Hank Moss', { CompanyName: 'Ironwood Fitness', PrimaryEmailAddr: { Address: 'hank@ironwood.test' } }),
      customer('Ironwood Fitness (old)', { CompanyName: 'Ironwood Fitness' }),
    ]);
    await syncNow(world, a.accountId, 'onboarding');
    expect(await world.knex('qbo_mappings').where({ account_id: a.accountId })).to.have.length(0);
    // A continuous run past the CDC overlap (both still blocked), then another minute: later pulls see only new changes.
    world.sandbox.control.advanceClock(120_000);
    await syncNow(world, a.accountId, 'continuous');
    world.sandbox.control.advanceClock(120_000);
    // The bookkeeper retires the old one; "Hank Moss" is now the only Ironwood Fitness, unchanged (not in the CDC).
    await editInQbo(world, a.realmId, String(old?.['Id']), { Active: false });
    await syncNow(world, a.accountId, 'continuous');
    const twin = await addClient(world, a.accountId, client('Ironwood Fitness', { email: 'Hank@Ironwood.test' }));
    const customersBefore = qboCustomers(world, a.realmId).length;
    const { run } = await syncNow(world, a.accountId, 'continuous');
    expect((await mappingOf(world, a.accountId, { workId: twin.id }))?.qbo_id).to.equal(hank?.['Id']);
    expect(qboCustomers(world, a.realmId)).to.have.length(customersBefore);
    // The first link's merge sent Work's newer spelling of the email; DisplayName stays the bookkeeper's.
    expect(qboCustomers(world, a.realmId).find((c) => c['Id'] === hank?.['Id'])).to.include({ DisplayName: 'Hank Moss' });
    const log = (await logOf(world, a.accountId)).filter((l) => l.run_id === run.id);
    expect(log.find((l) => l.work_id === twin.id && l.outcome === 'linked')?.reason_code).to.equal('linked_company_and_email');
    expect(await world.knex('qbo_outbox').where({ account_id: a.accountId, status: 'pending', entity: 'client' })).to.have.length(0);
  });
});
