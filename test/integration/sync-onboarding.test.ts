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

describe('sync onboarding: matching order, blanks, ambiguity and blocked names', () => {
  const suite = useSyncWorld();

  it('matches company and email before company alone, never matches blanks, sends ambiguity to the review list and blocks names QBO reserves', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world);
    const a = account.accountId;
    // Two QBO "Smith Plumbing" customers; the one with John's email wins for John, by company and email.
    const [smithJohn, smithOther] = loadCustomers(world, account.realmId, [
      customer('Smith Plumbing', { PrimaryEmailAddr: { Address: 'john@smith.test' } }),
      customer('Smith Plumbing (2)', { CompanyName: 'Smith Plumbing', PrimaryEmailAddr: { Address: 'other@smith.test' } }),
    ]);
    const john = await addClient(world, a, client('Smith Plumbing', { email: 'JOHN@smith.test' }));
    // Company alone: one candidate, emails differ on the Work side only by being blank.
    const [harbor] = loadCustomers(world, account.realmId, [customer('Harbor View Dental', { PrimaryEmailAddr: { Address: 'office@harbor.test' } })]);
    const harborWork = await addClient(world, a, client('HARBOR  VIEW DENTAL ', { email: null }));
    // Blank company names never match anything: the name is taken by an unlinked customer, so it waits for review.
    loadCustomers(world, account.realmId, [customer('Maria Gonzalez', { CompanyName: undefined, GivenName: 'Maria', FamilyName: 'Gonzalez', PrimaryEmailAddr: { Address: 'maria@example.test' } })]);
    const maria = await addClient(world, a, client(null, { firstName: 'Maria', lastName: 'Gonzalez', email: 'maria@example.test' }));
    // One QBO customer, two Work clients with the same company name: review, never a guess.
    loadCustomers(world, account.realmId, [customer('Lakeside Bakery')]);
    const lake1 = await addClient(world, a, client('Lakeside Bakery', { email: 'jo@lake.test' }));
    const lake2 = await addClient(world, a, client('Lakeside  bakery', { email: 'sam@lake.test' }));
    // An inactive customer still reserves its name; so does a vendor (the seeded company has vendors).
    loadCustomers(world, account.realmId, [customer('Dormant Holdings', { Active: false })]);
    const dormant = await addClient(world, a, client('Dormant Holdings', { email: 'dee@dormant.test' }));
    const vendorName = String(world.sandbox.control.objects(account.realmId, 'Vendor')[0]?.['DisplayName']);
    const vendorClash = await addClient(world, a, client(vendorName));

    const qboBefore = qboCustomers(world, account.realmId).length;
    const { run } = await syncNow(world, a, 'onboarding');
    const mappings = await world.knex('qbo_mappings').where({ account_id: a, entity: 'client' });
    const qboOf = (workId: string) => mappings.find((m: { work_id: string }) => m.work_id === workId)?.qbo_id as string | undefined;
    expect(qboOf(john.id)).to.equal(smithJohn?.['Id']);
    expect(qboOf(harborWork.id)).to.equal(harbor?.['Id']);
    expect(qboOf(maria.id)).to.equal(undefined);
    expect(qboOf(lake1.id)).to.equal(undefined);
    expect(qboOf(lake2.id)).to.equal(undefined);
    expect(qboOf(dormant.id)).to.equal(undefined);
    // A vendor's name is not a customer's: the planner suffixes it (logged), so no 6240 and no duplicate.
    const clash = qboCustomers(world, account.realmId).find((c) => c['Id'] === qboOf(vendorClash.id));
    expect(clash?.['DisplayName']).to.equal(`${vendorName} (2)`);
    const log = await logOf(world, a);
    const reasonOf = (workId: string) => log.filter((l) => l.work_id === workId && l.outcome !== 'warning' && l.outcome !== 'conflict').map((l) => `${l.outcome}:${l.reason_code}`);
    expect(reasonOf(john.id)).to.deep.equal(['linked:linked_company_and_email']);
    expect(reasonOf(harborWork.id)).to.deep.equal(['linked:linked_company']);
    expect(reasonOf(dormant.id)).to.deep.equal(['blocked:name_taken_by_inactive_customer']);
    expect(reasonOf(vendorClash.id)).to.deep.equal(['created_in_qbo:created_in_qbo']);
    expect(log.filter((l) => l.work_id === vendorClash.id && l.outcome === 'warning').map((l) => l.reason_code)).to.include('name_suffixed');
    const reviews = await world.knex('qbo_review').where({ account_id: a, status: 'open' });
    expect(reviews.map((r: { work_id: string | null }) => r.work_id).filter(Boolean).sort()).to.deep.equal([lake1.id, lake2.id, maria.id].sort());
    expect(reasonOf(maria.id)).to.deep.equal(['review:name_taken_by_customer']);
    // Two QBO customers with one company name: the unmatched one is blocked, never imported as a guess.
    expect(log.find((l) => l.qbo_id === smithOther?.['Id'])?.reason_code).to.equal('duplicate_in_qbo');
    expect(run.counts['client']).to.include({ linked: 2, blocked: 2, created_in_qbo: 1 });
    expect(qboCustomers(world, account.realmId).length).to.equal(qboBefore + 1);

    // The admin resolves the review: link Jo's client to the QBO bakery, create Sam's, nothing duplicated.
    const forLake1 = reviews.find((r: { work_id: string | null }) => r.work_id === lake1.id) as { id: string; candidates: { qboId?: string }[] };
    const bakeryId = forLake1.candidates.find((c) => c.qboId)?.qboId;
    const linked = await world.work.plugin.sync.resolveReview(a, String(forLake1.id), 'link', { qboId: bakeryId ?? '' });
    expect(linked.status).to.equal('finished');
    const forLake2 = reviews.find((r: { work_id: string | null }) => r.work_id === lake2.id) as { id: string };
    const created = await world.work.plugin.sync.resolveReview(a, String(forLake2.id), 'create');
    expect(created.status).to.equal('finished');
    const bakeries = qboCustomers(world, account.realmId).filter((c) => /lakeside/i.test(String(c['DisplayName'])));
    expect(bakeries).to.have.length(2);
    expect(qboOf(lake1.id)).to.equal(undefined); // (the mappings read above predate the resolution)
    const lakeMappings = await world.knex('qbo_mappings').where({ account_id: a, entity: 'client' }).whereIn('work_id', [lake1.id, lake2.id]);
    expect(lakeMappings.map((m: { qbo_id: string }) => m.qbo_id).sort()).to.deep.equal(bakeries.map((b) => String(b['Id'])).sort());
    const qboReviewEntry = await world.knex('qbo_review').where({ account_id: a, status: 'open' });
    for (const r of qboReviewEntry as { id: string }[]) expect((await world.work.plugin.sync.resolveReview(a, String(r.id), 'skip')).status).to.equal('finished');
    expect(await world.knex('qbo_review').where({ account_id: a, status: 'open' })).to.have.length(0);
    // A later run leaves skipped records alone and reopens nothing.
    await syncNow(world, a, 'onboarding');
    expect(await world.knex('qbo_review').where({ account_id: a, status: 'open' })).to.have.length(0);
  });

  it('the preview plans every record and writes nothing on either side; a dry run writes nothing but its run row', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world);
    await addClient(world, account.accountId, client('Preview Plumbing', { email: 'p@p.test' }));
    await addClient(world, account.accountId, client(null));
    loadCustomers(world, account.realmId, [customer('Preview Plumbing', { PrimaryEmailAddr: { Address: 'p@p.test' } }), customer('Only In QBO')]);
    const outboxBefore = await world.knex('qbo_outbox').where({ account_id: account.accountId }).count('* as n');
    const before = await stateOf(world, account);
    const preview = await world.work.plugin.sync.preview(account.accountId);
    expect(preview.status).to.equal('ok');
    if (preview.status !== 'ok') return;
    expect(preview.plan.clients.map((e) => e.action).sort()).to.deep.equal(['blocked', 'create_in_work', 'link']);
    expect(preview.plan.clients.find((e) => e.action === 'blocked')?.reason).to.equal('blank_name');
    expect(await stateOf(world, account)).to.equal(before);
    expect(await world.knex('qbo_outbox').where({ account_id: account.accountId }).count('* as n')).to.deep.equal(outboxBefore);

    const dry = await syncNow(world, account.accountId, 'onboarding', true);
    expect(dry.run.dry_run).to.equal(true);
    expect(dry.run.counts['client']).to.include({ linked: 1, created_in_work: 1, blocked: 1 });
    const after = JSON.parse(await stateOf(world, account)) as { qbo: unknown; clients: unknown; sites: unknown; tables: Record<string, [{ n: string }]> };
    const was = JSON.parse(before) as typeof after;
    expect(after.qbo).to.deep.equal(was.qbo);
    expect(after.clients).to.deep.equal(was.clients);
    expect(after.tables['qbo_mappings']?.[0]?.n).to.equal('0');
    expect(after.tables['qbo_sync_log']?.[0]?.n).to.equal('0');
  });

  it('answers "already running" while another process holds the account, and runs once it is free', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world);
    const other = (await import('knex')).default({ client: 'pg', connection: world.databaseUrl, pool: { min: 0, max: 1 } });
    try {
      await other.transaction(async (trx) => {
        await trx.raw(`SELECT pg_advisory_lock(hashtextextended(?, 0))`, [`qbo-sync-account:${account.accountId}`]);
        const second = await world.work.plugin.sync.sync(account.accountId, { kind: 'onboarding' });
        expect(second.status).to.equal('already_running');
        await trx.raw(`SELECT pg_advisory_unlock(hashtextextended(?, 0))`, [`qbo-sync-account:${account.accountId}`]);
      });
    } finally {
      await other.destroy();
    }
    expect(await world.knex('qbo_sync_runs').where({ account_id: account.accountId })).to.have.length(0);
    await syncNow(world, account.accountId, 'onboarding');
  });
});

describe('sync onboarding: the settings that fill what QuickBooks lacks', () => {
  const suite = useSyncWorld();

  it('uses the default state and country when QBO has none, and fills a sub-customer\'s missing details from its client', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world);
    await world.knex('qbo_settings').insert({ account_id: account.accountId, default_state: 'OR', default_country: 'US', fill_site_from_client: true });
    const [parent] = loadCustomers(world, account.realmId, [
      customer('Willow Farms', { PrimaryEmailAddr: { Address: 'farm@willow.test' }, PrimaryPhone: { FreeFormNumber: '555-0404' }, BillAddr: { Line1: '9 Orchard Rd', City: 'Hood River', PostalCode: '97031' } }),
    ]);
    loadCustomers(world, account.realmId, [customer('Barn', { CompanyName: undefined, Job: true, ParentRef: { value: String(parent?.['Id']) }, BillWithParent: true })]);
    await syncNow(world, account.accountId, 'onboarding');
    const [willow] = await workClients(world, account.accountId);
    expect(willow?.billingAddress).to.include({ line1: '9 Orchard Rd', city: 'Hood River', state: 'OR', country: 'US' });
    const [barn] = await workSites(world, account.accountId);
    expect(barn).to.include({ name: 'Barn', clientId: willow?.id, email: 'farm@willow.test', phone: '555-0404' });
  });
});
