import { expect } from 'chai';
import { addClient, client, customer, editInQbo, loadCustomers, logOf, newSyncAccount, qboCustomers, syncNow, useSyncWorld, workClients } from './sync-support';

describe('sync bad input: hostile names, invalid emails, stale SyncTokens, deleted customers', () => {
  const suite = useSyncWorld();

  it('sends hostile names cleaned and warned, keeps Work\'s originals, and finishes the run', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world);
    const names = [
      `O'Brien "The Best" Heating`,
      'Back\\slash \\\' Supplies',
      'Acme: North Branch',
      'Tab\tSeparated\nLines',
      'Emoji 🔧🚿 Plumbing',
      'שלום Builders مرحبا',
      '<script>alert(1)</script> & <b>Co</b>',
      'X'.repeat(1000),
    ];
    const created = [];
    for (const [i, name] of names.entries()) created.push(await addClient(world, account.accountId, client(name, { email: `h${i}@hostile.test` })));
    const badEmail = await addClient(world, account.accountId, client('Bad Email Ltd', { email: 'not-an-email' }));
    const { run } = await syncNow(world, account.accountId, 'onboarding');
    expect(run.status).to.equal('succeeded');
    expect(run.counts['client']).to.include({ created_in_qbo: names.length + 1 });
    const log = await logOf(world, account.accountId);
    expect(log.filter((l) => l.outcome === 'failed')).to.deep.equal([]);
    const mappings = await world.knex('qbo_mappings').where({ account_id: account.accountId, entity: 'client' });
    const qbo = qboCustomers(world, account.realmId);
    for (const c of [...created, badEmail]) {
      const m = mappings.find((x: { work_id: string }) => x.work_id === c.id) as { qbo_id: string } | undefined;
      const q = qbo.find((x) => x['Id'] === m?.qbo_id);
      expect(q, c.companyName ?? '').to.not.equal(undefined);
      const display = String(q?.['DisplayName']);
      expect(display).not.to.match(/[:\t\n]/);
      expect(display.length).to.be.at.most(500);
      expect(String(q?.['CompanyName'] ?? '').length).to.be.at.most(100);
    }
    const byWork = (id: string) => qbo.find((x) => x['Id'] === (mappings.find((m: { work_id: string }) => m.work_id === id) as { qbo_id: string }).qbo_id);
    expect(byWork(created[0]?.id ?? '')?.['DisplayName']).to.equal(`O'Brien "The Best" Heating`);
    expect(byWork(created[6]?.id ?? '')?.['DisplayName']).to.equal('<script>alert(1)</script> & <b>Co</b>');
    expect(byWork(created[4]?.id ?? '')?.['DisplayName']).to.equal('Emoji 🔧🚿 Plumbing');
    expect(byWork(badEmail.id)?.['PrimaryEmailAddr']).to.equal(undefined);
    const warnings = log.filter((l) => l.outcome === 'warning').map((l) => `${l.work_id}:${l.reason_code}`);
    expect(warnings).to.include(`${created[2]?.id}:forbidden_characters`);
    expect(warnings).to.include(`${created[3]?.id}:forbidden_characters`);
    expect(warnings).to.include(`${created[7]?.id}:too_long`);
    expect(warnings).to.include(`${badEmail.id}:invalid_email`);
    // Work keeps every original, untouched.
    const after = await workClients(world, account.accountId);
    expect(after.map((c) => c.companyName).sort()).to.deep.equal([...names, 'Bad Email Ltd'].sort());
    // Nothing more to do on a second run (the cleaned names are what was synced).
    const again = await syncNow(world, account.accountId, 'continuous');
    expect(again.run.counts['client']?.['updated_in_qbo'] ?? 0).to.equal(0);
    expect(qboCustomers(world, account.realmId)).to.have.length(qbo.length);
  });

  it('a stale SyncToken (5010) is read again, merged and sent once more; a customer deleted in QuickBooks is reported', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world);
    const [q, doomed] = loadCustomers(world, account.realmId, [customer('Cedar Grove Apartments'), customer('Doomed Diner')]);
    const c = await addClient(world, account.accountId, client('Cedar Grove Apartments'));
    const d = await addClient(world, account.accountId, client('Doomed Diner'));
    await syncNow(world, account.accountId, 'onboarding');
    await syncNow(world, account.accountId, 'continuous');
    // QuickBooks changes behind the sync's back (the pull does not see it: its bookmark is moved past it)...
    await editInQbo(world, account.realmId, String(q?.['Id']), { Notes: 'edited in QBO' });
    await world.knex('qbo_cdc_bookmarks').where({ account_id: account.accountId }).update({ bookmark: new Date(Date.now() + 3_600_000).toISOString() });
    // ...so the push of a Work edit carries the old SyncToken.
    await world.work.models.clients.update(account.accountId, c.id, { phone: '555-3333' });
    const { run } = await syncNow(world, account.accountId, 'continuous');
    const log = (await logOf(world, account.accountId)).filter((l) => l.run_id === run.id);
    expect(log.map((l) => l.reason_code)).to.include('stale_retried');
    const now = qboCustomers(world, account.realmId).find((x) => x['Id'] === q?.['Id']);
    expect((now?.['PrimaryPhone'] as { FreeFormNumber: string }).FreeFormNumber).to.equal('555-3333');
    expect(now?.['Notes']).to.equal('edited in QBO');
    expect((await workClients(world, account.accountId)).find((x) => x.id === c.id)?.notes).to.equal('edited in QBO');

    // A linked customer deleted in QuickBooks: reported through CDC, Work untouched.
    await world.knex('qbo_cdc_bookmarks').where({ account_id: account.accountId }).update({ bookmark: new Date(Date.now() - 120_000).toISOString() });
    world.sandbox.control.bulkLoad(account.realmId, 'Customer', [{ ...doomed, status: 'Deleted', SyncToken: '5', MetaData: { CreateTime: new Date().toISOString(), LastUpdatedTime: new Date().toISOString() } }]);
    const second = await syncNow(world, account.accountId, 'continuous');
    const reported = (await logOf(world, account.accountId)).filter((l) => l.run_id === second.run.id && l.outcome === 'reported');
    expect(reported.map((l) => l.reason_code)).to.deep.equal(['customer_deleted_in_qbo']);
    expect((await workClients(world, account.accountId)).find((x) => x.id === d.id)?.active).to.equal(true);
  });
});

describe('sync failures: one failing record never stops the run, and is retried later', () => {
  const suite = useSyncWorld();

  it('a QBO customer Work refused to save is logged, the rest goes on, and retry-now brings it in on the next continuous run', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world);
    loadCustomers(world, account.realmId, [customer('Refused Roofing'), customer('Fine Fencing')]);
    const create = world.work.models.clients.create.bind(world.work.models.clients);
    let refusals = 2;
    const stub = (await import('sinon')).default.stub(world.work.models.clients, 'create').callsFake(async (accountId, input, opts) => {
      if (input.companyName === 'Refused Roofing' && refusals-- > 0) throw new Error('Work says no');
      return create(accountId, input, opts);
    });
    const { run } = await syncNow(world, account.accountId, 'onboarding');
    expect(run.status).to.equal('succeeded');
    expect(run.counts['client']).to.include({ created_in_work: 1, failed: 1 });
    const failure = (await logOf(world, account.accountId)).find((l) => l.outcome === 'failed');
    expect(failure).to.include({ reason_code: 'work_refused', level: 'error', work_id: null });
    expect(failure?.next_attempt_at).to.be.instanceOf(Date);
    // The bookmark did not move past a customer that never reached Work.
    expect(await world.knex('qbo_cdc_bookmarks').where({ account_id: account.accountId })).to.have.length(0);
    expect(failure?.attempts).to.equal(1);
    expect(await world.work.plugin.sync.retryLogEntry(account.accountId, String(failure?.id))).to.equal(true);
    // Refused again: logged again, with a longer wait (back-off grows with the failures since it last worked).
    const again = await syncNow(world, account.accountId, 'continuous');
    expect(again.run.counts['client']).to.include({ failed: 1 });
    const second = (await logOf(world, account.accountId)).filter((l) => l.outcome === 'failed').pop();
    expect(second?.attempts).to.equal(2);
    expect((second?.next_attempt_at?.getTime() ?? 0) - (second?.created_at.getTime() ?? 0)).to.be.within(110_000, 130_000);
    expect(await world.work.plugin.sync.retryLogEntry(account.accountId, String(second?.id))).to.equal(true);
    const next = await syncNow(world, account.accountId, 'continuous');
    stub.restore();
    expect(next.run.counts['client']).to.include({ created_in_work: 1 });
    expect((await workClients(world, account.accountId)).map((c) => c.companyName).sort()).to.deep.equal(['Fine Fencing', 'Refused Roofing']);
    // Settled: the following run does not plan again.
    const third = await syncNow(world, account.accountId, 'continuous');
    expect(third.result.plan).to.equal(null);
  });
});
