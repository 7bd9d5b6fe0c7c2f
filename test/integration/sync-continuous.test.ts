import { expect } from 'chai';
import {
  addClient,
  addSite,
  client,
  customer,
  editInQbo,
  lastSeq,
  loadCustomers,
  logOf,
  newSyncAccount,
  postsSince,
  qboCustomers,
  site,
  syncNow,
  useSyncWorld,
  workClients,
  type SyncAccount,
} from './sync-support';
import type { World } from './connect-sandbox-support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function onboarded(world: World): Promise<SyncAccount & { workId: string; qboId: string }> {
  const account = await newSyncAccount(world);
  const [q] = loadCustomers(world, account.realmId, [customer('Maple Street Pharmacy', { PrimaryEmailAddr: { Address: 'kara@maple.test' }, PrimaryPhone: { FreeFormNumber: '555-0001' } })]);
  const c = await addClient(world, account.accountId, client('Maple Street Pharmacy', { email: 'kara@maple.test', phone: '555-0001' }));
  await syncNow(world, account.accountId, 'onboarding');
  // The onboarding's own outbox rows (the client created above) drain without sending anything.
  await syncNow(world, account.accountId, 'continuous');
  return { ...account, workId: c.id, qboId: String(q?.['Id']) };
}

describe('continuous sync: CDC pull and outbox drain against the sandbox', () => {
  const suite = useSyncWorld();

  it('a customer edited in QuickBooks reaches Work on the next run, and nothing echoes back', async () => {
    const { world } = suite;
    const a = await onboarded(world);
    await editInQbo(world, a.realmId, a.qboId, { PrimaryPhone: { FreeFormNumber: '555-0199' }, Notes: 'Call before noon' });
    const seq = lastSeq(world);
    const { run } = await syncNow(world, a.accountId, 'continuous');
    const [c] = await workClients(world, a.accountId);
    expect(c).to.include({ phone: '555-0199', notes: 'Call before noon' });
    expect(run.counts['client']).to.include({ updated_in_work: 1 });
    // The Work update queued an outbox row; draining it sent nothing (the snapshot already holds the change).
    expect(postsSince(world, a.realmId, seq)).to.equal(0);
    const pending = await world.knex('qbo_outbox').where({ account_id: a.accountId, status: 'pending', entity: 'client' });
    expect(pending).to.have.length(0);
    const again = lastSeq(world);
    await syncNow(world, a.accountId, 'continuous');
    expect(postsSince(world, a.realmId, again)).to.equal(0);
  });

  it('a client edited in Work reaches QuickBooks on the next drain, once, and does not come back as a pull', async () => {
    const { world } = suite;
    const a = await onboarded(world);
    await world.work.models.clients.update(a.accountId, a.workId, { phone: '555-0777', billingAddress: { line1: '1 Main St', line2: null, city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' } });
    const seq = lastSeq(world);
    const { run } = await syncNow(world, a.accountId, 'continuous');
    expect(run.counts['client']).to.include({ updated_in_qbo: 1 });
    const q = qboCustomers(world, a.realmId).find((x) => x['Id'] === a.qboId);
    expect((q?.['PrimaryPhone'] as { FreeFormNumber: string }).FreeFormNumber).to.equal('555-0777');
    expect((q?.['BillAddr'] as { City: string }).City).to.equal('Springfield');
    expect(postsSince(world, a.realmId, seq)).to.equal(1);
    const [c] = await workClients(world, a.accountId);
    const next = lastSeq(world);
    await syncNow(world, a.accountId, 'continuous');
    expect(postsSince(world, a.realmId, next)).to.equal(0);
    const [after] = await workClients(world, a.accountId);
    expect(after?.updatedAt.getTime()).to.equal(c?.updatedAt.getTime());
  });

  it('a field changed on both sides goes to the newer change and is logged as a conflict with both values', async () => {
    const { world } = suite;
    const a = await onboarded(world);
    await editInQbo(world, a.realmId, a.qboId, { PrimaryPhone: { FreeFormNumber: '555-1111' }, Notes: 'QBO note' });
    await sleep(1100); // QBO's times have whole seconds: the Work edit is clearly newer
    await world.work.models.clients.update(a.accountId, a.workId, { phone: '555-2222' });
    const { run } = await syncNow(world, a.accountId, 'continuous');
    const [c] = await workClients(world, a.accountId);
    const q = qboCustomers(world, a.realmId).find((x) => x['Id'] === a.qboId);
    expect(c?.phone).to.equal('555-2222');
    expect((q?.['PrimaryPhone'] as { FreeFormNumber: string }).FreeFormNumber).to.equal('555-2222');
    // The field changed on one side only flows as usual.
    expect(c?.notes).to.equal('QBO note');
    expect(run.counts['client']).to.include({ conflict: 1 });
    const conflict = (await logOf(world, a.accountId)).find((l) => l.outcome === 'conflict' && l.run_id === run.id);
    expect(conflict?.details).to.deep.include({ field: 'phone', work: '555-2222', qbo: '555-1111', base: '555-0001', winner: 'work' });
  });

  it('never deletes in QuickBooks, reports customers made inactive there, skips site edits and hands invoice and payment rows to their own flow', async () => {
    const { world } = suite;
    const a = await onboarded(world);
    const other = await addClient(world, a.accountId, client('Gone Tomorrow', { email: 'gone@x.test' }));
    await syncNow(world, a.accountId, 'continuous');
    const goneQbo = (await world.knex('qbo_mappings').where({ account_id: a.accountId, work_id: other.id }).first()) as { qbo_id: string };
    await world.work.models.clients.delete(a.accountId, other.id);
    await editInQbo(world, a.realmId, a.qboId, { Active: false });
    const s = await addSite(world, a.accountId, a.workId, site('Back Office'));
    await world.knex('qbo_outbox').insert([
      { account_id: a.accountId, entity: 'invoice', record_id: '9001', action: 'created' },
      { account_id: a.accountId, entity: 'payment', record_id: '9002', action: 'created' },
    ]);
    const { run } = await syncNow(world, a.accountId, 'continuous');
    const log = (await logOf(world, a.accountId)).filter((l) => l.run_id === run.id);
    expect(log.find((l) => l.work_id === other.id)?.reason_code).to.equal('deleted_in_work_not_in_qbo');
    expect(qboCustomers(world, a.realmId).find((c) => c['Id'] === goneQbo.qbo_id)?.['Active']).to.equal(true);
    expect(log.find((l) => l.qbo_id === a.qboId)?.reason_code).to.equal('customer_inactive_in_qbo');
    expect((await workClients(world, a.accountId)).find((c) => c.id === a.workId)?.active).to.equal(true);
    expect(log.find((l) => l.work_id === s.id)?.reason_code).to.equal('site_not_synced_continuously');
    // The invoice and payment flow (flows/push-run.ts) took those rows: records Work no longer has, logged, done.
    expect(await world.knex('qbo_outbox').where({ account_id: a.accountId, status: 'pending' })).to.deep.equal([]);
    expect(log.filter((l) => l.entity === 'invoice' || l.entity === 'payment').map((l) => `${String(l.entity)}:${String(l.reason_code)}`)).to.deep.equal(['invoice:deleted_in_work', 'payment:deleted_in_work']);
  });

  it('a client created in Work after onboarding is created in QuickBooks, or linked when QuickBooks already has it (6240)', async () => {
    const { world } = suite;
    const a = await onboarded(world);
    const [existing] = loadCustomers(world, a.realmId, [customer('Ironwood Fitness', { PrimaryEmailAddr: { Address: 'hank@ironwood.test' } })]);
    const fresh = await addClient(world, a.accountId, client('Juniper Hotels', { email: 'isla@juniper.test' }));
    const twin = await addClient(world, a.accountId, client('Ironwood Fitness', { email: 'hank@ironwood.test' }));
    const stranger = await addClient(world, a.accountId, client('ironwood fitness', { email: 'someone@else.test' }));
    await syncNow(world, a.accountId, 'continuous');
    const mappings = await world.knex('qbo_mappings').where({ account_id: a.accountId, entity: 'client' });
    const qboOf = (id: string) => (mappings.find((m: { work_id: string }) => m.work_id === id) as { qbo_id: string } | undefined)?.qbo_id;
    expect(qboCustomers(world, a.realmId).find((c) => c['Id'] === qboOf(fresh.id))?.['DisplayName']).to.equal('Juniper Hotels');
    expect(qboOf(twin.id)).to.equal(existing?.['Id']);
    expect(qboCustomers(world, a.realmId).find((c) => c['Id'] === qboOf(stranger.id))?.['DisplayName']).to.equal('ironwood fitness (2)');
    const log = await logOf(world, a.accountId);
    expect(log.find((l) => l.work_id === twin.id && l.outcome === 'linked')?.reason_code).to.equal('linked_existing_name');
    expect(qboCustomers(world, a.realmId).filter((c) => /ironwood/i.test(String(c['DisplayName'])))).to.have.length(2);
  });
});
